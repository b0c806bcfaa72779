package io.hybridstore.healer.repair;

import io.etcd.jetcd.Client;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.healer.cluster.NodeLiveness;
import io.hybridstore.healer.cluster.Pacer;
import io.hybridstore.healer.etcd.EtcdProperties;
import io.hybridstore.healer.leadership.LeaderGate;
import io.hybridstore.healer.status.HealerStats;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Repair: reported keys first, then every manifest, page by page. Per page, the referenced blobs are checked with
 * one batch call per node; each damaged manifest is planned ({@link RepairPlanner}) and repaired
 * ({@link RepairExecutor}). The scan's position is kept in etcd, so a new leader resumes where the old one stopped
 * and wraps around to the start to finish the pass.
 */
@Component
public class RepairService {

    private static final int HINTS_PER_ROUND = 100;

    private final ManifestStore manifests;
    private final NodeLiveness liveness;
    private final LeaderGate gate;
    private final HealerStats stats;
    private final RepairProperties properties;
    private final RepairPlanner planner;
    private final BlobChecker checker;
    private final RepairExecutor executor;
    private final RepairHints hints;
    private final ScanCursor cursor;
    private final Pacer pacer;

    RepairService(ManifestStore manifests, NodeDirectory directory, NodeLiveness liveness, StorageNodeClient client,
                  LeaderGate gate, HealerStats stats, RepairProperties properties, Client etcd, EtcdKeys keys,
                  EtcdProperties etcdProperties) {
        this.manifests = manifests;
        this.liveness = liveness;
        this.gate = gate;
        this.stats = stats;
        this.properties = properties;
        this.planner = new RepairPlanner(properties.replicas());
        this.checker = new BlobChecker(client, stats);
        this.executor = new RepairExecutor(manifests, directory, client, gate, stats);
        this.hints = new RepairHints(etcd.getKVClient(), keys, etcdProperties.requestTimeout());
        this.cursor = new ScanCursor(etcd.getKVClient(), keys, etcdProperties.requestTimeout());
        this.pacer = new Pacer(properties.objectsPerSecond());
    }

    /** Repairs the keys gateways reported; a hint is removed once its key was looked at (repaired or fine). */
    public void processHints() {
        for (RepairHints.Hint hint : hints.pending(HINTS_PER_ROUND)) {
            if (!gate.isLeader()) {
                return;
            }
            Optional<VersionedManifest> current = manifests.get(hint.objectKey());
            if (current.isEmpty() || repairPage(List.of(current.get()))) {
                hints.done(hint);
            }
        }
    }

    /** Checks and repairs one key now (a gateway's hint). */
    public void repairKey(String key) {
        manifests.get(key).ifPresent(m -> repairPage(List.of(m)));
    }

    /**
     * One full scan over every manifest, resuming from the saved cursor and wrapping around to it. Returns false
     * when leadership was lost before the end; the cursor then tells the next leader where to go on.
     */
    public boolean scan() throws InterruptedException {
        Optional<String> resumeFrom = cursor.load();
        if (!scanRange(resumeFrom.orElse(null), null)) {
            return false;
        }
        if (resumeFrom.isPresent() && !scanRange(null, resumeFrom.get())) {
            return false;
        }
        if (gate.isLeader()) {
            cursor.clear();
        }
        return true;
    }

    /** Scans keys after {@code from} (null: the start) up to and including {@code upTo} (null: the end). */
    private boolean scanRange(String from, String upTo) throws InterruptedException {
        String after = from;
        while (true) {
            if (!gate.isLeader()) {
                return false;
            }
            List<VersionedManifest> page = manifests.scan(after, properties.pageSize());
            List<VersionedManifest> inRange = upTo == null ? page
                    : page.stream().filter(m -> m.etcdKey().compareTo(upTo) <= 0).toList();
            if (inRange.isEmpty()) {
                return true;
            }
            pacer.acquire(inRange.size());
            if (!repairPage(inRange) && !gate.isLeader()) {
                return false;
            }
            stats.scanned(inRange.size());
            after = inRange.getLast().etcdKey();
            cursor.save(after);
            if (inRange.size() < page.size() || page.size() < properties.pageSize()) {
                return true;
            }
        }
    }

    /** Returns true when every damaged manifest of the page was repaired (or none was damaged). */
    private boolean repairPage(List<VersionedManifest> page) {
        NodeLiveness.Snapshot nodes = liveness.snapshot();
        BlobVerdicts verdicts = checker.check(page.stream().flatMap(m -> m.manifest().blobs().stream()).toList(), nodes);
        boolean allDone = true;
        for (VersionedManifest current : page) {
            Manifest manifest = current.manifest();
            RepairPlan plan = planner.plan(manifest, verdicts, nodes);
            if (plan.isEmpty()) {
                continue;
            }
            stats.degraded();
            if (!gate.isLeader()) {
                return false;
            }
            allDone &= executor.execute(current, plan, verdicts) == RepairExecutor.Outcome.REPAIRED;
        }
        return allDone;
    }
}
