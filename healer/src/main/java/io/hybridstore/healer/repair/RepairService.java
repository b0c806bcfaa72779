package io.hybridstore.healer.repair;

import io.etcd.jetcd.Client;
import io.hybridstore.common.concurrent.FanOut;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.etcd.EtcdProperties;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.MetadataUnavailableException;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.healer.cluster.NodeLiveness;
import io.hybridstore.healer.cluster.Pacer;
import io.hybridstore.healer.leadership.LeaderGate;
import io.hybridstore.healer.scrub.ScrubProperties;
import io.hybridstore.healer.status.HealerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Repair: reported keys first, then every manifest, page by page. Per page, the referenced blobs are checked with
 * one batch call per node; each damaged manifest is planned ({@link RepairPlanner}) and repaired
 * ({@link RepairExecutor}). Two sweeps share this: the repair scan, which asks only whether each blob is present
 * (the nodes answer from their index), and the scrub, which has the nodes read and verify every blob, paced in
 * bytes. Each sweep keeps its position in etcd, so a new leader resumes where the old one stopped and wraps around
 * to the start to finish it.
 */
@Component
public class RepairService {

    private static final Logger log = LoggerFactory.getLogger(RepairService.class);
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
    private final Sweep repairScan;
    private final Sweep scrub;
    private final ScanCursor scrubStarted;
    private final ManifestPages pages;
    private final Clock clock;

    RepairService(ManifestStore manifests, NodeDirectory directory, NodeLiveness liveness, StorageNodeClient client,
                  LeaderGate gate, HealerStats stats, RepairProperties properties, ScrubProperties scrubProperties,
                  Client etcd, EtcdKeys keys, EtcdProperties etcdProperties, Clock clock) {
        this.manifests = manifests;
        this.liveness = liveness;
        this.gate = gate;
        this.stats = stats;
        this.properties = properties;
        this.planner = new RepairPlanner(properties.replicas());
        this.checker = new BlobChecker(client, stats);
        this.executor = new RepairExecutor(manifests, directory, client, gate, stats,
                new Pacer(properties.bytesPerSecond().toBytes()));
        this.hints = new RepairHints(etcd.getKVClient(), keys, etcdProperties.requestTimeout());
        Pacer objects = new Pacer(properties.objectsPerSecond());
        this.repairScan = new Sweep(new ScanCursor(etcd.getKVClient(), keys, "repair-cursor", etcdProperties.requestTimeout()),
                false, objects, null);
        this.scrub = new Sweep(new ScanCursor(etcd.getKVClient(), keys, "scrub-cursor", etcdProperties.requestTimeout()),
                true, objects, new Pacer(scrubProperties.bytesPerSecond().toBytes()));
        this.scrubStarted = new ScanCursor(etcd.getKVClient(), keys, "scrub-started", etcdProperties.requestTimeout());
        this.pages = new ManifestPages(manifests, etcd.getKVClient(), keys, etcdProperties.requestTimeout(), stats);
        this.clock = clock;
    }

    /** One sweep's cursor, whether the nodes verify what they hold, and its pacing (bytes: scrub only). */
    private record Sweep(ScanCursor cursor, boolean verify, Pacer objects, Pacer bytes) {
    }

    /**
     * Repairs the keys gateways reported; a hint is removed once its key was looked at (repaired or fine). A read
     * found something wrong there, possibly rot, so the nodes verify these blobs.
     */
    public void processHints() {
        for (RepairHints.Hint hint : hints.pending(HINTS_PER_ROUND)) {
            if (!gate.isLeader()) {
                return;
            }
            Optional<VersionedManifest> current;
            try {
                current = manifests.get(hint.objectKey());
            } catch (MetadataUnavailableException e) {
                throw e;
            } catch (RuntimeException unreadable) {
                log.warn("Dropping the repair hint of '{}': its manifest cannot be read: {}", hint.objectKey(),
                        unreadable.getMessage());
                stats.manifestUnreadable();
                hints.done(hint);
                continue;
            }
            if (current.isEmpty() || repairPage(List.of(current.get()), true)) {
                hints.done(hint);
                stats.hintProcessed();
            }
        }
    }

    /**
     * One full repair scan over every manifest, resuming from the saved cursor and wrapping around to it. Returns
     * false when leadership was lost before the end; the cursor then tells the next leader where to go on.
     */
    public boolean scan() throws InterruptedException {
        return sweep(repairScan);
    }

    /** One full scrub: like {@link #scan()}, but every blob is read and verified on its node. */
    public boolean scrub() throws InterruptedException {
        if (scrub.cursor().load().isEmpty()) {
            scrubStarted.save(clock.instant().toString());
        }
        return sweep(scrub);
    }

    /**
     * When the next scrub cycle is due: {@code interval} after the last one started, as recorded in etcd so that
     * restarts and leader changes keep the rhythm; at once before the first, and for one that was cut short.
     */
    public Instant nextScrubDue(Duration interval) {
        Instant now = clock.instant();
        if (scrub.cursor().load().isPresent()) {
            return now;
        }
        return scrubStarted.load().map(Instant::parse).map(started -> started.plus(interval)).orElse(now);
    }

    private boolean sweep(Sweep sweep) throws InterruptedException {
        Optional<String> resumeFrom = sweep.cursor().load();
        if (!sweepRange(sweep, resumeFrom.orElse(null), null)) {
            return false;
        }
        if (resumeFrom.isPresent() && !sweepRange(sweep, null, resumeFrom.get())) {
            return false;
        }
        if (gate.isLeader()) {
            sweep.cursor().clear();
        }
        return true;
    }

    /**
     * Sweeps keys after {@code from} (null: the start) up to and including {@code upTo} (null: the end). A page's
     * repairs run while the next pages are read ({@link RepairWindow}); the cursor moves only past pages whose
     * repairs have all ended.
     */
    private boolean sweepRange(Sweep sweep, String from, String upTo) throws InterruptedException {
        try (RepairWindow window = new RepairWindow(properties.parallelism())) {
            String after = from;
            while (true) {
                if (!gate.isLeader()) {
                    return false;
                }
                ManifestPages.Page page = pages.next(after, properties.pageSize());
                if (page.read() == 0) {
                    return finish(sweep, window);
                }
                boolean pastEnd = upTo != null && page.last().compareTo(upTo) > 0;
                List<VersionedManifest> inRange = inPlace(upTo == null ? page.readable()
                        : page.readable().stream().filter(m -> m.etcdKey().compareTo(upTo) <= 0).toList());
                after = pastEnd ? upTo : page.last();
                List<Runnable> repairs = List.of();
                if (!inRange.isEmpty()) {
                    sweep.objects().acquire(inRange.size());
                    long bytes = inRange.stream().mapToLong(m -> storedBytes(m.manifest())).sum();
                    if (sweep.bytes() != null) {
                        sweep.bytes().acquire(bytes);
                    }
                    DamagedPage damaged = damaged(inRange, sweep.verify());
                    repairs = damaged.manifests().stream()
                            .<Runnable>map(d -> () -> executor.execute(d.current(), d.plan(), damaged.verdicts()))
                            .toList();
                    if (sweep.verify()) {
                        stats.verified(inRange.size(), bytes);
                    } else {
                        stats.scanned(inRange.size());
                    }
                }
                if (!repairs.isEmpty() && !gate.isLeader()) {
                    return false;
                }
                window.submit(after, repairs);
                window.doneUpTo().ifPresent(sweep.cursor()::save);
                if (pastEnd || page.read() < properties.pageSize()) {
                    return finish(sweep, window);
                }
            }
        }
    }

    private static boolean finish(Sweep sweep, RepairWindow window) throws InterruptedException {
        window.awaitAll().ifPresent(sweep.cursor()::save);
        return true;
    }

    /**
     * The page without the manifests that lay where an earlier etcd key layout put them; those are moved to their
     * place now (and repaired when the sweep reaches them there).
     */
    private List<VersionedManifest> inPlace(List<VersionedManifest> page) {
        List<VersionedManifest> inPlace = new ArrayList<>(page.size());
        for (VersionedManifest stored : page) {
            if (manifests.isInPlace(stored)) {
                inPlace.add(stored);
            } else if (gate.isLeader()) {
                boolean moved = manifests.relocate(stored);
                log.info("Manifest of '{}' {} from the old key layout ({})", stored.manifest().key(),
                        moved ? "moved to its place" : "dropped: a newer version is in place", stored.etcdKey());
            }
        }
        return inPlace;
    }

    /**
     * Returns true when every damaged manifest of the page was repaired (or none was damaged). The repairs run side
     * by side, {@code parallelism} at a time: one repair is a few round trips that each wait on an fsync (the new
     * blobs', then etcd's), so one after another a lost node of small objects was rebuilt at ~130 objects a second.
     */
    private boolean repairPage(List<VersionedManifest> page, boolean verify) {
        DamagedPage damaged = damaged(page, verify);
        if (damaged.manifests().isEmpty()) {
            return true;
        }
        if (!gate.isLeader()) {
            return false;
        }
        return FanOut.map(damaged.manifests(), properties.parallelism(),
                        d -> executor.execute(d.current(), d.plan(), damaged.verdicts()))
                .stream().allMatch(outcome -> outcome == RepairExecutor.Outcome.REPAIRED);
    }

    /** The page's manifests that need a repair, each with its plan, from one batch check per node. */
    private DamagedPage damaged(List<VersionedManifest> page, boolean verify) {
        NodeLiveness.Snapshot nodes = liveness.snapshot();
        Map<BlobRef, Long> expectedCrc32c = new HashMap<>();
        page.forEach(m -> expectedCrc32c.putAll(m.manifest().blobCrc32cs()));
        BlobVerdicts verdicts = checker.check(expectedCrc32c, nodes, verify);
        List<Damaged> damaged = new ArrayList<>();
        for (VersionedManifest current : page) {
            RepairPlan plan = planner.plan(current.manifest(), verdicts, nodes);
            if (!plan.isEmpty()) {
                stats.degraded(verify);
                damaged.add(new Damaged(current, plan));
            }
        }
        return new DamagedPage(damaged, verdicts);
    }

    private record Damaged(VersionedManifest current, RepairPlan plan) {
    }

    private record DamagedPage(List<Damaged> manifests, BlobVerdicts verdicts) {
    }

    /** What the nodes read to verify a manifest: every replica and every shard. */
    private static long storedBytes(Manifest manifest) {
        long bytes = 0;
        if (manifest.replicated() != null) {
            bytes += manifest.replicated().length() * manifest.replicated().replicas().size();
        }
        if (manifest.erasureCoded() != null) {
            bytes += manifest.erasureCoded().stripes().stream()
                    .mapToLong(stripe -> stripe.shardSize() * stripe.shards().size()).sum();
        }
        return bytes;
    }
}
