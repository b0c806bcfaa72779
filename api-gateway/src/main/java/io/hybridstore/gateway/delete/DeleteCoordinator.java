package io.hybridstore.gateway.delete;

import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.metadata.ManifestStore;
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
import io.hybridstore.gateway.write.WriteConflictException;
import org.springframework.stereotype.Component;

import java.util.List;

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

    DeleteCoordinator(ManifestStore manifests, IntentLog intents, BlobFanout fanout, GatewayProperties properties) {
        this.manifests = manifests;
        this.intents = intents;
        this.fanout = fanout;
        this.properties = properties;
    }

    public DeleteOutcome delete(String key) {
        for (int attempt = 1; attempt <= properties.commitRetries(); attempt++) {
            VersionedManifest current = manifests.get(key).orElseThrow(() -> new ObjectNotFoundException(key));
            Manifest manifest = current.manifest();
            List<BlobRef> blobs = manifest.blobs();
            Intent intent = intents.begin(WalRecord.Operation.DELETE, key, manifest.version(), blobs);
            boolean removed;
            try {
                removed = manifests.deleteIf(key, current.modRevision());
            } catch (MetadataUnavailableException e) {
                CommitOutcomeUnknownException unknown = new CommitOutcomeUnknownException("the delete of '" + key + "'", e);
                intent.leaveOpen(unknown.getMessage());
                throw unknown;
            } catch (MetadataRefusedException e) {
                intent.aborted();
                throw e;
            }
            if (removed) {
                int left = fanout.deleteAll(blobs);
                intent.committed();
                return new DeleteOutcome(manifest, blobs.size() - left, left);
            }
            intent.aborted();
        }
        throw new WriteConflictException("key '" + key + "' kept changing; delete gave up after "
                + properties.commitRetries() + " attempts");
    }

    /** A removed object: its last manifest, and how many of its blobs were deleted now or left for the healer. */
    public record DeleteOutcome(Manifest manifest, int blobsDeleted, int blobsLeft) {
    }
}
