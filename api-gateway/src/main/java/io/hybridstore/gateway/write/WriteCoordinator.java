package io.hybridstore.gateway.write;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.manifest.VersionIds;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.MetadataUnavailableException;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.placement.RendezvousPlacement;
import io.hybridstore.common.wal.WalRecord;
import io.hybridstore.gateway.GatewayProperties;
import io.hybridstore.gateway.wal.Intent;
import io.hybridstore.gateway.wal.IntentLog;
import io.hybridstore.gateway.write.BlobFanout.PlannedBlob;
import io.hybridstore.gateway.write.BlobFanout.PutResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The write protocol of DESIGN.md, top to bottom: plan → PENDING intent → blobs in parallel → quorum →
 * conditional commit → delete displaced blobs → COMMITTED. Until the commit, any failure removes what was
 * written and closes the intent as ABORTED; when the commit's outcome is unknown, the intent is left open for
 * the healer, because deleting blobs that may already be committed would lose an acknowledged write.
 */
@Component
public class WriteCoordinator {

    private static final Logger log = LoggerFactory.getLogger(WriteCoordinator.class);

    private final GatewayProperties properties;
    private final NodeDirectory nodes;
    private final ManifestStore manifests;
    private final IntentLog intents;
    private final BlobFanout fanout;
    private final VersionIds versionIds;
    private final Clock clock;

    WriteCoordinator(GatewayProperties properties, NodeDirectory nodes, ManifestStore manifests, IntentLog intents,
                     BlobFanout fanout, VersionIds versionIds, Clock clock) {
        this.properties = properties;
        this.nodes = nodes;
        this.manifests = manifests;
        this.intents = intents;
        this.fanout = fanout;
        this.versionIds = versionIds;
        this.clock = clock;
    }

    public WriteOutcome write(WriteRequest request) {
        return switch (request.strategy()) {
            case REPLICATION -> writeReplicated(request);
            case EC, FIELD_HYBRID -> throw new StrategyNotImplementedException(request.strategy());
        };
    }

    private WriteOutcome writeReplicated(WriteRequest request) {
        String version = versionIds.next();
        byte[] value = request.body();
        long crc = Checksums.crc32c(value);
        List<NodeInfo> targets = RendezvousPlacement.choose(request.key(), nodes.live(), properties.replicas());
        List<PlannedBlob> planned = IntStream.range(0, targets.size())
                .mapToObj(i -> new PlannedBlob(targets.get(i), BlobId.of(version, "data", i), value, crc))
                .toList();

        Intent intent = intents.begin(WalRecord.Operation.WRITE, request.key(), version,
                planned.stream().map(PlannedBlob::ref).toList());
        List<PutResult> results = fanout.putAll(planned);
        List<PutResult> acknowledged = results.stream().filter(PutResult::succeeded).toList();
        if (acknowledged.size() < properties.writeQuorum()) {
            abort(intent, planned);
            throw quorumFailure(properties.writeQuorum(), acknowledged.size(), results);
        }

        ReplicatedPart part = new ReplicatedPart(value.length, Checksums.sha256Hex(value), acknowledged.stream()
                .map(r -> new Replica(r.blob().node().id(), r.blob().id().value(), crc))
                .toList());
        Manifest manifest = new Manifest(request.key(), version, Strategy.REPLICATION, "application/json",
                value.length, part.sha256(), clock.millis(), part, null, null);
        Optional<VersionedManifest> displaced = commit(manifest, intent, planned);

        displaced.ifPresent(previous -> fanout.deleteAll(previous.manifest().blobsNotIn(manifest)));
        intent.committed();
        return new WriteOutcome(manifest, acknowledged.stream().map(r -> r.blob().node().url()).toList(),
                acknowledged.size() < planned.size());
    }

    /**
     * Puts the manifest conditionally on the mod revision last read, re-reading on conflict a bounded number of
     * times. A value that does not depend on the previous version is simply re-committed over the newer one: the
     * last commit wins, and every reader sees one whole version or the other. Returns the displaced manifest.
     */
    private Optional<VersionedManifest> commit(Manifest manifest, Intent intent, List<PlannedBlob> planned) {
        for (int attempt = 1; attempt <= properties.commitRetries(); attempt++) {
            Optional<VersionedManifest> current;
            try {
                current = manifests.get(manifest.key());
            } catch (MetadataUnavailableException e) {
                abort(intent, planned);
                throw e;
            }
            boolean committed;
            try {
                committed = manifests.putIf(manifest, current.map(VersionedManifest::modRevision).orElse(0L));
            } catch (MetadataUnavailableException e) {
                intent.leaveOpen("etcd commit outcome unknown: " + e.getMessage());
                throw e;
            }
            if (committed) {
                return current;
            }
            log.debug("Commit of {} version {} lost a race (attempt {}), retrying", manifest.key(),
                    manifest.version(), attempt);
        }
        abort(intent, planned);
        throw new WriteConflictException("key '" + manifest.key() + "' kept changing; gave up after "
                + properties.commitRetries() + " commit attempts");
    }

    private void abort(Intent intent, List<PlannedBlob> planned) {
        List<BlobRef> refs = planned.stream().map(PlannedBlob::ref).toList();
        int left = fanout.deleteAll(refs);
        intent.aborted();
        log.info("Aborted write {} of '{}' (version {}); {} of {} blobs could not be removed yet",
                intent.record().txId(), intent.record().key(), intent.record().version(), left, refs.size());
    }

    static QuorumException quorumFailure(int needed, int got, List<PutResult> results) {
        Map<String, String> causes = new LinkedHashMap<>();
        results.stream().filter(r -> !r.succeeded()).forEach(r -> causes.put(r.blob().node().id(), r.failure()));
        return new QuorumException(needed, got, results.size(), causes);
    }
}
