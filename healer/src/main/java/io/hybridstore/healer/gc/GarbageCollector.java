package io.hybridstore.healer.gc;

import io.etcd.jetcd.Client;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.etcd.EtcdProperties;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.MetadataUnavailableException;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.common.node.BlobPage;
import io.hybridstore.common.node.BlobStat;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import io.hybridstore.healer.leadership.LeaderGate;
import io.hybridstore.healer.rollback.OpenIntents;
import io.hybridstore.healer.rollback.IntentLog;
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
 * Deletes blobs nothing references, after removing what multipart uploads nobody finished left behind
 * ({@link UploadCollector}), so their parts' blobs become unreferenced. Order matters: first an open-intent snapshot taken after the collection began,
 * then a full manifest scan, then the node listings — so a write that commits while this runs is either in the
 * snapshot or, having begun since, seen by the next run. A blob is deleted only once it was seen unreferenced in
 * runs the grace period apart on this healer's clock ({@link GarbageRule}).
 */
@Component
public class GarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
    private static final int MANIFEST_PAGE = 500;
    private static final Duration SNAPSHOT_WAIT = Duration.ofSeconds(15);

    private final ManifestStore manifests;
    private final NodeDirectory directory;
    private final StorageNodeClient client;
    private final IntentLog intents;
    private final LeaderGate gate;
    private final HealerStats stats;
    private final GcProperties properties;
    private final Clock clock;
    private final GarbageRule rule;
    private final UploadCollector uploads;

    GarbageCollector(ManifestStore manifests, NodeDirectory directory, StorageNodeClient client,
                     IntentLog intents, LeaderGate gate, HealerStats stats, GcProperties properties, Clock clock,
                     Client etcd, EtcdKeys keys, EtcdProperties etcdProperties) {
        this.manifests = manifests;
        this.directory = directory;
        this.client = client;
        this.intents = intents;
        this.gate = gate;
        this.stats = stats;
        this.properties = properties;
        this.clock = clock;
        this.rule = new GarbageRule(properties.grace());
        this.uploads = new UploadCollector(etcd.getKVClient(), keys, manifests, gate, properties.abandonedUploadAge(),
                etcdProperties.requestTimeout(), clock);
    }

    /** One collection over every live node; false when it could not run (disabled, log not read, not leader). */
    public boolean collect() throws InterruptedException {
        if (!properties.enabled()) {
            return false;
        }
        uploads.collect();
        Optional<OpenIntents> open = awaitSnapshotAfter(clock.instant());
        if (open.isEmpty()) {
            log.info("Garbage collection skipped: the intent log has not been read to its end");
            return false;
        }
        Set<BlobRef> referenced = referencedBlobs();
        if (referenced == null) {
            return false;
        }
        rule.beginRun();
        try {
            for (NodeInfo node : directory.live()) {
                if (!collectOn(node, referenced, open.get().blobs())) {
                    return false;
                }
            }
        } finally {
            rule.endRun();
            stats.gcCandidates(rule.watched());
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

    /**
     * Every (node, blob) any manifest names, or null when leadership ended during the scan or a manifest cannot be
     * read: then what it references is unknown, and collecting could delete a committed object's blobs.
     */
    private Set<BlobRef> referencedBlobs() {
        Set<BlobRef> referenced = new HashSet<>();
        String after = null;
        while (true) {
            if (!gate.isLeader()) {
                return null;
            }
            List<VersionedManifest> page;
            try {
                page = manifests.scan(after, MANIFEST_PAGE);
            } catch (MetadataUnavailableException e) {
                throw e;
            } catch (RuntimeException unreadable) {
                log.warn("Garbage collection skipped: a manifest cannot be read: {}", unreadable.getMessage());
                stats.manifestUnreadable();
                return null;
            }
            page.forEach(m -> referenced.addAll(m.manifest().blobs()));
            if (page.size() < MANIFEST_PAGE) {
                return referenced;
            }
            after = page.getLast().etcdKey();
        }
    }

    private boolean collectOn(NodeInfo node, Set<BlobRef> referenced, Set<BlobRef> open) {
        String after = null;
        try {
            do {
                BlobPage page = client.list(node, after, properties.pageSize());
                for (BlobStat blob : page.blobs()) {
                    if (rule.isGarbage(new BlobRef(node.id(), blob.id()), referenced, open, clock.instant())) {
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
