package io.hybridstore.gateway.delete;

import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.metadata.DeleteReceipt;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.ManifestStore.ReceiptSlot;
import io.hybridstore.common.metadata.MetadataRefusedException;
import io.hybridstore.common.metadata.MetadataUnavailableException;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.common.wal.WalRecord;
import io.hybridstore.gateway.GatewayProperties;
import io.hybridstore.gateway.read.ObjectNotFoundException;
import io.hybridstore.gateway.wal.Intent;
import io.hybridstore.gateway.wal.IntentLog;
import io.hybridstore.gateway.write.BlobFanout;
import io.hybridstore.gateway.write.CommitOutcomeUnknownException;
import io.hybridstore.gateway.write.RecentManifests;
import io.hybridstore.gateway.write.WriteConflictException;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Delete: PENDING intent naming the blobs → conditional removal of the manifest in etcd → blob deletion →
 * COMMITTED. The blobs go only after the manifest is gone, so a concurrent reader either finds the whole object
 * or a 404, never a manifest whose blobs have vanished.
 */
@Component
public class DeleteCoordinator {

    private final ManifestStore manifests;
    private final IntentLog intents;
    private final BlobFanout fanout;
    private final GatewayProperties properties;
    private final ReceiptLeases leases;
    private final RecentManifests recent;

    DeleteCoordinator(ManifestStore manifests, IntentLog intents, BlobFanout fanout, GatewayProperties properties,
                      ReceiptLeases leases, RecentManifests recent) {
        this.manifests = manifests;
        this.recent = recent;
        this.intents = intents;
        this.fanout = fanout;
        this.properties = properties;
        this.leases = leases;
    }

    /**
     * Deletes {@code key}. With a {@code requestId} the commit also leaves a receipt under it, and a receipt found
     * under it means this same request already deleted the key (on a gateway that died before answering): the
     * answer is then that delete's — not 404, and not a delete of a newer version written since.
     */
    public DeleteOutcome delete(String key, Optional<String> requestId) {
        Optional<DeleteOutcome> done = alreadyDone(key, requestId);
        if (done.isPresent()) {
            return done.get();
        }
        for (int attempt = 1; attempt <= properties.commitRetries(); attempt++) {
            Optional<VersionedManifest> found = manifests.get(key);
            if (found.isEmpty()) {
                // The first attempt may have committed between the check above and this read.
                return alreadyDone(key, requestId).orElseThrow(() -> new ObjectNotFoundException(key));
            }
            VersionedManifest current = found.get();
            Manifest manifest = current.manifest();
            List<BlobRef> blobs = manifest.blobs();
            Optional<ReceiptSlot> receipt = requestId.map(id ->
                    new ReceiptSlot(id, leases.current(), DeleteReceipt.of(manifest)));
            Intent intent = intents.begin(WalRecord.Operation.DELETE, key, manifest.version(), blobs);
            boolean removed;
            try {
                removed = manifests.deleteIf(key, current.modRevision(), receipt);
            } catch (MetadataUnavailableException e) {
                CommitOutcomeUnknownException unknown = new CommitOutcomeUnknownException("the delete of '" + key + "'", e);
                intent.leaveOpen(unknown.getMessage());
                throw unknown;
            } catch (MetadataRefusedException e) {
                intent.aborted();
                throw e;
            }
            if (removed) {
                recent.forget(key);
                int left = fanout.deleteAll(blobs);
                intent.committed();
                return new DeleteOutcome(manifest.key(), manifest.strategy(), manifest.version(), blobs.size() - left,
                        left, false);
            }
            intent.aborted();
        }
        throw new WriteConflictException("key '" + key + "' kept changing; delete gave up after "
                + properties.commitRetries() + " attempts");
    }

    private Optional<DeleteOutcome> alreadyDone(String key, Optional<String> requestId) {
        return requestId.flatMap(manifests::deleteReceipt).filter(receipt -> receipt.key().equals(key))
                .map(DeleteOutcome::repeated);
    }

    /**
     * A removed object: its last version, and how many of its blobs were deleted now or left for the healer; a
     * repeated request deleted nothing itself and reports no blobs.
     */
    public record DeleteOutcome(String key, Strategy strategy, String version, int blobsDeleted, int blobsLeft,
                                boolean repeated) {

        static DeleteOutcome repeated(DeleteReceipt receipt) {
            return new DeleteOutcome(receipt.key(), receipt.strategy(), receipt.version(), 0, 0, true);
        }
    }
}
