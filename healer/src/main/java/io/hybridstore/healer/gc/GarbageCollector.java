package io.hybridstore.healer.gc;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.common.node.BlobPage;
import io.hybridstore.common.node.BlobStat;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import io.hybridstore.healer.leadership.LeaderGate;
import io.hybridstore.healer.rollback.OpenIntents;
import io.hybridstore.healer.rollback.RollbackWorker;
import io.hybridstore.healer.status.HealerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes blobs nothing references. Order matters: first an open-intent snapshot taken after the collection began,
 * then a full manifest scan, then the node listings — so a write that commits while this runs is either in the
 * snapshot or newer than the cut-off ({@link GarbageRule}).
 */
@Component
public class GarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
    private static final int MANIFEST_PAGE = 500;
    private static final Duration SNAPSHOT_WAIT = Duration.ofSeconds(15);

    private final ManifestStore manifests;
    private final NodeDirectory directory;
    private final StorageNodeClient client;
    private final RollbackWorker intents;
    private final LeaderGate gate;
    private final HealerStats stats;
    private final GcProperties properties;
    private final Clock clock;

    GarbageCollector(ManifestStore manifests, NodeDirectory directory, StorageNodeClient client,
                     RollbackWorker intents, LeaderGate gate, HealerStats stats, GcProperties properties, Clock clock) {
        this.manifests = manifests;
        this.directory = directory;
        this.client = client;
        this.intents = intents;
        this.gate = gate;
        this.stats = stats;
        this.properties = properties;
        this.clock = clock;
    }

    /** One collection over every live node; false when it could not run (disabled, log not read, not leader). */
    public boolean collect() throws InterruptedException {
        if (!properties.enabled()) {
            return false;
        }
        Optional<OpenIntents> open = awaitSnapshotAfter(clock.instant());
        if (open.isEmpty()) {
            log.info("Garbage collection skipped: the intent log has not been read to its end");
            return false;
        }
        Set<BlobRef> referenced = referencedBlobs();
        if (referenced == null) {
            return false;
        }
        long cutoff = open.get().caughtUpAt().minus(properties.grace()).toEpochMilli();
        for (NodeInfo node : directory.live()) {
            if (!collectOn(node, referenced, open.get().blobs(), cutoff)) {
                return false;
            }
        }
        int pruned = manifests.pruneFences(clock.instant().minus(properties.fenceRetention()));
        if (pruned > 0) {
            log.info("Pruned {} rollback fences older than {}", pruned, properties.fenceRetention());
        }
        return true;
    }

    private Optional<OpenIntents> awaitSnapshotAfter(Instant start) throws InterruptedException {
        Instant deadline = start.plus(SNAPSHOT_WAIT);
        while (clock.instant().isBefore(deadline) && gate.isLeader()) {
            Optional<OpenIntents> snapshot = intents.openIntents().filter(s -> s.caughtUpAt().isAfter(start));
            if (snapshot.isPresent()) {
                return snapshot;
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    /** Every (node, blob) any manifest names, or null when leadership ended during the scan. */
    private Set<BlobRef> referencedBlobs() {
        Set<BlobRef> referenced = new HashSet<>();
        String after = null;
        while (true) {
            if (!gate.isLeader()) {
                return null;
            }
            List<VersionedManifest> page = manifests.scan(after, MANIFEST_PAGE);
            page.forEach(m -> referenced.addAll(m.manifest().blobs()));
            if (page.size() < MANIFEST_PAGE) {
                return referenced;
            }
            after = page.getLast().etcdKey();
        }
    }

    private boolean collectOn(NodeInfo node, Set<BlobRef> referenced, Set<BlobRef> open, long cutoff) {
        String after = null;
        try {
            do {
                BlobPage page = client.list(node, after, properties.pageSize());
                for (BlobStat blob : page.blobs()) {
                    if (GarbageRule.isGarbage(node.id(), blob, referenced, open, cutoff)) {
                        if (!gate.isLeader()) {
                            return false;
                        }
                        client.delete(node, new BlobId(blob.id()));
                        stats.collected(blob.length());
                        log.info("Collected unreferenced blob {} on {} ({} bytes)", blob.id(), node.id(), blob.length());
                    }
                }
                after = page.next();
            } while (after != null);
        } catch (StorageNodeException e) {
            log.warn("Garbage collection on {} stopped early: {}", node.id(), e.getMessage());
        }
        return true;
    }
}
