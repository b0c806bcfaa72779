package io.hybridstore.systemtest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reliability suite (README, "Reliability suite"): bad input, bit rot, then faults under load against the real
 * cluster, each phase adding its figures to a scorecard that is printed and written to
 * {@code target/reliability/scorecard.md}; every request and answer goes to {@code target/reliability/history.jsonl}.
 * Settings (how many operations, faults, flips) are in {@link ReliabilitySettings}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReliabilitySuiteTest {

    private static final Path OUT = Path.of("target/reliability");
    private static final ReliabilitySettings SETTINGS = ReliabilitySettings.fromEnvironment();
    private static final Scorecard SCORECARD = new Scorecard();
    private static final History HISTORY = new History(OUT.resolve("history.jsonl"));
    private static final Instant STARTED = Instant.now();
    /** The linearizability search's bound per key; a key that needs more is counted as too large, not passed. */
    private static final long LINEARIZABILITY_STEPS = 2_000_000;
    private static final int DAMAGED_DISK_OBJECTS = 12;

    private final HealerTestCluster cluster = new HealerTestCluster();
    private final ClusterAudit audit = new ClusterAudit(cluster);

    @AfterAll
    static void printScorecard() {
        HISTORY.close();
        SCORECARD.add("suite", "run time", seconds(Nemesis.since(STARTED)));
        SCORECARD.note("seed " + SETTINGS.seed() + " (rerun with -Dreliability.seed=" + SETTINGS.seed() + "); " + SETTINGS);
        SCORECARD.write(OUT.resolve("scorecard.md"));
        System.out.println(SCORECARD.render());
    }

    @Test
    @Order(1)
    void badInputGetsItsDocumented4xxAndChangesNothing() throws Exception {
        store(BadRequests.VICTIM, "replication", "{\"untouched\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        cluster.fullPass();
        ClusterAudit.Snapshot before = audit.snapshot();
        List<String> wrong = new ArrayList<>();
        int serverErrors = 0;
        List<BadRequests.BadRequest> table = BadRequests.all();
        for (BadRequests.BadRequest request : table) {
            Api.Response response = request.send(cluster.cluster);
            HISTORY.record(Map.of("op", "bad input", "name", request.name(), "expected", request.expected(),
                    "status", response.status(), "answer", abbreviate(response.text())));
            if (response.status() >= 500) {
                serverErrors++;
            }
            if (!request.accepts(response.status()) || !isJsonError(response)) {
                wrong.add(request + " got " + response.status() + " " + abbreviate(response.text()));
            }
        }
        // A client that declares a body and stalls must be given up on, not hold a gateway or end in a 5xx.
        BadRequests.SlowAnswer slow = BadRequests.slowSender(cluster.cluster, Duration.ofSeconds(150));
        HISTORY.record(Map.of("op", "bad input", "name", "slow sender", "answer", abbreviate(slow.toString())));
        if (slow.status() >= 500 && slow.status() != 503) {
            serverErrors++;
        }
        boolean refused = slow.status() >= 400 && slow.status() < 500 || slow.status() == 503;
        if (!slow.closed() && !(refused && isJsonError(new Api.Response(slow.status(),
                slow.text().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))))) {
            wrong.add("slow sender (1 MB declared, 6 bytes sent) -> 4xx or closed, got " + abbreviate(slow.toString()));
        }
        ClusterAudit.Snapshot after = audit.snapshot();
        Set<String> newBlobs = after.orphans().stream().map(ClusterAudit.StoredBlob::id).collect(Collectors.toSet());
        before.orphans().forEach(b -> newBlobs.remove(b.id()));

        SCORECARD.add("bad input", "malformed requests tried", table.size() + 1);
        SCORECARD.mustBeZero("bad input", "5xx answers", serverErrors);
        SCORECARD.mustBeZero("bad input", "answers other than the documented 4xx with a JSON error body", wrong.size());
        wrong.forEach(w -> SCORECARD.note("bad input: " + w));
        assertThat(wrong).as("requests that did not get their documented 4xx with {error, detail}").isEmpty();
        assertThat(serverErrors).isZero();
        assertThat(after.versions()).as("manifests after the bad requests").isEqualTo(before.versions());
        assertThat(after.blobsStored()).as("blobs stored after the bad requests").isLessThanOrEqualTo(before.blobsStored());
        assertThat(newBlobs).as("blobs the bad requests left on the nodes").isEmpty();
        assertThat(cluster.api.read(BadRequests.VICTIM).text()).isEqualTo("{\"untouched\":true}");
        assertThat(cluster.api.delete(BadRequests.VICTIM).status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void bitRotIsReadAroundAndRepairedByTheScrubber() throws Exception {
        Random random = new Random(SETTINGS.seed() ^ 0xb17);
        Map<String, byte[]> stored = new HashMap<>();
        String[] strategies = {"replication", "ec", "field_hybrid"};
        for (int i = 0; i < SETTINGS.bitRotObjects(); i++) {
            String key = "reliability/" + SETTINGS.seed() + "/rot/" + i;
            byte[] value = new Workload.Value(key, i, random.nextLong(), 100 + random.nextInt(256 * 1024)).render();
            store(key, strategies[i % 3], value);
            stored.put(key, value);
        }
        List<Damage> plan = damagePlan(random, stored.keySet());

        AtomicBoolean rotting = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        List<String> badReads = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    boolean lastRound;
                    do {
                        lastRound = !rotting.get();
                        for (var entry : stored.entrySet()) {
                            Api.Response read = cluster.api.read(entry.getKey());
                            reads.incrementAndGet();
                            if (read.status() != 200 || !java.util.Arrays.equals(read.body(), entry.getValue())) {
                                badReads.add(entry.getKey() + ": " + read.status() + " " + abbreviate(read.text()));
                            }
                        }
                    } while (!lastRound);
                    return null;
                }));
            }
            try {
                for (Damage damage : plan) {
                    cluster.corruptOnDisk(damage.node(), damage.blob(), random);
                    HISTORY.record(Map.of("fault", "bit rot", "node", damage.node(), "blob", damage.blob(), "key", damage.key()));
                    HealerTestCluster.sleep(100);
                }
            } finally {
                rotting.set(false);
            }
            for (Future<?> reader : readers) {
                reader.get();
            }
        }
        Set<String> damagedKeys = plan.stream().map(Damage::key).collect(Collectors.toSet());
        Instant scrubStart = Instant.now();
        List<String> unrepaired = List.of();
        // Repair passes only ask whether blobs are there; finding bit rot takes the scrub, which reads them all.
        for (int cycle = 0; cycle < 3; cycle++) {
            cluster.fullScrub();
            unrepaired = audit.snapshot().degraded().stream()
                    .filter(d -> damagedKeys.stream().anyMatch(key -> d.startsWith(key + ":"))).toList();
            if (unrepaired.isEmpty()) {
                break;
            }
        }
        for (String key : stored.keySet()) {
            assertThat(cluster.api.read(key).body()).as(key).isEqualTo(stored.get(key));
        }
        SCORECARD.add("bit rot", "blobs damaged on disk (objects hit)", plan.size() + " (" + damagedKeys.size() + ")");
        SCORECARD.add("bit rot", "reads while rotting", reads.get());
        SCORECARD.mustBeZero("bit rot", "torn, wrong or failed reads", badReads.size());
        SCORECARD.mustBeZero("bit rot", "damaged blobs not repaired by the scrubber", unrepaired.size());
        SCORECARD.add("bit rot", "time for the scrubber to repair all", seconds(Nemesis.since(scrubStart)));
        assertThat(badReads).as("reads under bit rot").isEmpty();
        assertThat(unrepaired).as("objects still degraded after the scrubber's passes").isEmpty();
        stored.keySet().forEach(key -> assertThat(cluster.api.delete(key).status()).isEqualTo(200));
    }

    private record Damage(String key, int node, String blob) {
    }

    /**
     * Random blobs of the stored objects to damage, never more per part than the part survives: two of three
     * replicas, m shards of a stripe. Beyond that the data is gone and no store could read it.
     */
    private List<Damage> damagePlan(Random random, Set<String> keys) {
        List<Damage> plan = new ArrayList<>();
        List<List<Damage>> parts = new ArrayList<>();
        List<Integer> budgets = new ArrayList<>();
        for (var manifest : audit.manifests()) {
            String key = manifest.path("key").asString();
            if (!keys.contains(key)) {
                continue;
            }
            if (!manifest.path("replicated").isMissingNode() && !manifest.path("replicated").isNull()) {
                List<Damage> replicas = new ArrayList<>();
                manifest.path("replicated").path("replicas").forEach(r -> replicas.add(damage(key, r)));
                parts.add(replicas);
                budgets.add(replicas.size() - 1);
            }
            if (!manifest.path("erasureCoded").isMissingNode() && !manifest.path("erasureCoded").isNull()) {
                int m = manifest.path("erasureCoded").path("m").asInt();
                for (var stripe : manifest.path("erasureCoded").path("stripes")) {
                    List<Damage> shards = new ArrayList<>();
                    stripe.path("shards").forEach(s -> shards.add(damage(key, s)));
                    parts.add(shards);
                    budgets.add(m);
                }
            }
        }
        for (List<Damage> part : parts) {
            Collections.shuffle(part, random);
        }
        while (plan.size() < SETTINGS.bitRotFlips()) {
            List<Integer> open = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                if (budgets.get(i) > 0) {
                    open.add(i);
                }
            }
            if (open.isEmpty()) {
                break;
            }
            int part = open.get(random.nextInt(open.size()));
            budgets.set(part, budgets.get(part) - 1);
            plan.add(parts.get(part).removeFirst());
        }
        return plan;
    }

    private static Damage damage(String key, tools.jackson.databind.JsonNode blob) {
        String node = blob.path("node").asString();
        return new Damage(key, Integer.parseInt(node.substring(node.lastIndexOf('-') + 1)), blob.path("blob").asString());
    }

    @Test
    @Order(3)
    void acknowledgedWritesSurviveFaultsUnderLoad() throws Exception {
        Api client = new Api(cluster.cluster.gatewayUrl(), SETTINGS.requestTimeout());
        Nemesis nemesis = new Nemesis(cluster, SETTINGS, HISTORY);
        Workload workload = new Workload(SETTINGS, client, HISTORY, nemesis);
        Instant start = Instant.now();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> faults = pool.submit(() -> nemesis.run(workload.progress()));
            Future<?> load = pool.submit(() -> {
                workload.run();
                return null;
            });
            try {
                faults.get();
            } catch (java.util.concurrent.ExecutionException e) {
                // A fault that could not be healed: bring everything back for the test classes that follow.
                cluster.cluster.startAll();
                throw e;
            } finally {
                load.get();
            }
        }
        Instant loadEnd = Instant.now();

        // Afterwards: one healer pass, then every key is read back and the cluster is audited.
        cluster.fullPass();
        ClusterAudit.Snapshot redundancy = awaitFullRedundancy();
        Duration toRedundancy = Nemesis.since(nemesis.lastHealed());
        int keys = workload.verifyFinalState();
        KeyHistories.Summary linearizability = workload.histories.check(new Linearizability(LINEARIZABILITY_STEPS));
        if (linearizability.firstOffender() != null) {
            System.out.println("first non-linearizable " + linearizability.firstOffender());
        }
        ClusterAudit.Snapshot settled = awaitNoOrphans(loadEnd);
        Set<String> openIntents = awaitIntentsClosed();
        long usage = audit.storageUsage();

        Workload.Tally tally = workload.tally;
        SCORECARD.add("faults under load", "operations attempted", tally.attempted.get());
        SCORECARD.add("faults under load", "acknowledged", tally.acknowledged.get());
        SCORECARD.add("faults under load", "failed (definite error)", tally.failed.get());
        SCORECARD.add("faults under load", "timed out (no answer, 502/504)", tally.timedOut.get());
        nemesis.injected().forEach((kind, count) -> SCORECARD.add("faults under load", "faults: " + kind, count));
        SCORECARD.add("faults under load", "load phase", seconds(Duration.between(start, loadEnd)));
        SCORECARD.add("faults under load", "availability during faults",
                percent(tally.succeededDuringFaults.get(), tally.duringFaults.get()) + " of " + tally.duringFaults.get() + " operations");
        SCORECARD.add("faults under load", "keys checked after healing", keys);
        SCORECARD.mustBeZero("faults under load", "acknowledged writes lost", tally.lostWrites.size());
        SCORECARD.mustBeZero("faults under load", "torn or wrong reads", tally.wrongReads.size());
        SCORECARD.add("faults under load", "histories checked for linearizability (keys, operations)",
                linearizability.checked() + " (" + linearizability.operations() + " operations)");
        SCORECARD.mustBeZero("faults under load", "non-linearizable histories", linearizability.nonLinearizable().size());
        SCORECARD.add("faults under load", "histories too large to check (over " + LINEARIZABILITY_STEPS + " search steps)",
                linearizability.tooLarge().size());
        SCORECARD.mustBeZero("faults under load", "objects not fully redundant after healing", redundancy.degraded().size());
        SCORECARD.add("faults under load", "time to full redundancy after the last fault", seconds(toRedundancy));
        SCORECARD.mustBeZero("faults under load", "orphan blobs", settled.orphans().size());
        SCORECARD.mustBeZero("faults under load", "PENDING intents left open", openIntents.size());
        SCORECARD.mustBeZero("faults under load", "/storage_usage minus bytes the manifests account for",
                usage - settled.accountedBytes());
        tally.lostWrites.forEach(l -> SCORECARD.note("lost: " + l));
        tally.wrongReads.forEach(w -> SCORECARD.note("wrong read: " + w));
        linearizability.nonLinearizable().forEach(k -> SCORECARD.note("not linearizable: " + k));
        linearizability.tooLarge().forEach(k -> SCORECARD.note("too large to check: " + k));
        settled.orphans().stream().limit(20).forEach(o -> SCORECARD.note("orphan: " + o));
        redundancy.degraded().stream().limit(20).forEach(d -> SCORECARD.note("degraded: " + d));

        assertThat(tally.lostWrites).as("acknowledged writes lost").isEmpty();
        assertThat(tally.wrongReads).as("torn or wrong reads").isEmpty();
        assertThat(linearizability.nonLinearizable()).as("keys whose history is not linearizable").isEmpty();
        assertThat(redundancy.degraded()).as("objects not fully redundant").isEmpty();
        assertThat(settled.orphans()).as("orphan blobs").isEmpty();
        assertThat(openIntents).as("PENDING intents never closed").isEmpty();
        assertThat(usage).as("/storage_usage vs the manifests' bytes").isEqualTo(settled.accountedBytes());
        workload.keys().forEach(key -> assertThat(client.delete(key).status()).as(key).isIn(200, 404));
    }

    @Test
    @Order(4)
    void concurrentScrubsHintsAndScansOfTheSameObjectsKeepThemWhole() throws Exception {
        Random random = new Random(SETTINGS.seed() ^ 0x7a5);
        Map<String, byte[]> objects = new java.util.LinkedHashMap<>();
        String[] strategies = {"ec", "replication", "field_hybrid"};
        for (int i = 0; i < 6; i++) {
            String key = "reliability/" + SETTINGS.seed() + "/thrash/" + i;
            byte[] value = new Workload.Value(key, i, random.nextLong(), 1_000 + random.nextInt(600 * 1024)).render();
            store(key, strategies[i % 3], value);
            objects.put(key, value);
        }
        cluster.fullPass();
        Thrash thrash = new Thrash(cluster, audit, HISTORY);
        Thrash.Result result = thrash.run(objects, Duration.ofSeconds(20), random);
        Map<String, List<String>> degraded = thrash.degradedOf(objects.keySet());
        for (int pass = 0; pass < 3 && !degraded.isEmpty(); pass++) {
            cluster.fullPass();
            degraded = thrash.degradedOf(objects.keySet());
        }
        List<String> wrongAfter = new ArrayList<>();
        objects.forEach((key, value) -> {
            Api.Response read = cluster.api.read(key);
            if (read.status() != 200 || !java.util.Arrays.equals(read.body(), value)) {
                wrongAfter.add(key + ": " + read.status());
            }
        });

        String section = "thrash: scrub + hints + scan";
        SCORECARD.add(section, "objects (ec, replication, field_hybrid)", objects.size());
        SCORECARD.add(section, "blobs deleted, reads, scrub cycles, full passes",
                result.deletions() + ", " + result.reads() + ", " + result.scrubs() + ", " + result.passes());
        SCORECARD.mustBeZero(section, "failed or wrong reads during the thrash", result.badReads().size());
        SCORECARD.mustBeZero(section, "referenced blobs lost that the thrash did not delete", result.anomalies().size());
        SCORECARD.mustBeZero(section, "objects not whole and fully redundant afterwards", degraded.size() + wrongAfter.size());
        result.badReads().stream().limit(10).forEach(r -> SCORECARD.note("thrash read: " + r));
        result.anomalies().stream().limit(10).forEach(a -> SCORECARD.note("thrash: " + a));
        degraded.values().stream().flatMap(List::stream).limit(10).forEach(d -> SCORECARD.note("thrash, afterwards: " + d));
        assertThat(result.badReads()).as("reads during the thrash").isEmpty();
        assertThat(result.anomalies()).as("blobs lost to concurrent repairs").isEmpty();
        assertThat(degraded).as("objects degraded after the thrash").isEmpty();
        assertThat(wrongAfter).as("reads after the thrash").isEmpty();
        objects.keySet().forEach(key -> assertThat(cluster.api.delete(key).status()).isEqualTo(200));
    }

    @Test
    @Order(5)
    void malformedLogRecordsDoNotStopTheRollback() throws Exception {
        String key = "reliability/" + SETTINGS.seed() + "/poison";
        List<String> poison = java.util.Arrays.asList("{}", null, "{\"type\":\"PENDING\",\"txId\":", "[]",
                "{\"type\":\"PENDING\",\"txId\":\"tx-no-version\"}");
        for (String record : poison) {
            cluster.appendToLog(key, record);
        }
        HISTORY.record(Map.of("fault", "malformed log records", "key", key, "count", poison.size()));
        // Then, behind them on the same partition, the intent of a write whose gateway died before it committed.
        String version = "v%012x-0000-00000000feedface".formatted(System.currentTimeMillis());
        byte[] data = "{\"never\":\"committed\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        cluster.putBlob(1, version + ".data.0", data);
        cluster.putBlob(2, version + ".data.1", data);
        long rolledBackBefore = cluster.status().path("intents_rolled_back").asLong();
        cluster.appendToLog(key, """
                {"type":"PENDING","txId":"tx-%s","operation":"WRITE","key":"%s","version":"%s",\
                "blobs":[{"node":"storage-node-1","blob":"%s.data.0"},{"node":"storage-node-2","blob":"%s.data.1"}],\
                "timestamp":%d,"gateway":"reliability-suite"}""".formatted(version, key, version, version, version,
                System.currentTimeMillis()));
        Instant appended = Instant.now();
        boolean rolledBack = HealerTestCluster.poll(Duration.ofSeconds(60), () -> cluster.blobsOf(version).isEmpty()
                && cluster.status().path("intents_rolled_back").asLong() > rolledBackBefore);
        Duration took = Nemesis.since(appended);
        Api.Response write = cluster.api.write(key, "replication", "{\"after\":\"poison\"}");

        SCORECARD.add("malformed log records", "records ({}, null, truncated, array, no version) appended", poison.size());
        SCORECARD.mustBeZero("malformed log records", "stalled intents behind them not rolled back within 60 s",
                rolledBack ? 0 : 1);
        SCORECARD.add("malformed log records", "time to roll back the intent behind them", seconds(took));
        SCORECARD.mustBeZero("malformed log records", "writes failing after them", write.status() == 200 ? 0 : 1);
        assertThat(rolledBack).as("the healer rolled back the intent behind the malformed records").isTrue();
        assertThat(write.status()).as(write.text()).isEqualTo(200);
        assertThat(cluster.api.delete(key).status()).isEqualTo(200);
    }

    /** Healer passes until every object is fully redundant, or five minutes have gone by; the last look. */
    private ClusterAudit.Snapshot awaitFullRedundancy() {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        ClusterAudit.Snapshot snapshot = audit.snapshot();
        while (!snapshot.fullyRedundant() && Instant.now().isBefore(deadline)) {
            cluster.fullPass();
            snapshot = audit.snapshot();
        }
        return snapshot;
    }

    /**
     * Garbage collection leaves blobs younger than its grace (20 s here) alone, and blobs of an intent until the
     * healer settles it; so passes run until nothing is orphaned, for at most a grace plus two minutes.
     */
    private ClusterAudit.Snapshot awaitNoOrphans(Instant loadEnd) {
        Instant deadline = loadEnd.plus(Duration.ofSeconds(140));
        while (true) {
            cluster.fullPass();
            ClusterAudit.Snapshot snapshot = audit.snapshot();
            if (snapshot.orphans().isEmpty() || Instant.now().isAfter(deadline)) {
                return snapshot;
            }
            HealerTestCluster.sleep(2000);
        }
    }

    private Set<String> awaitIntentsClosed() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        Set<String> open = audit.openIntents();
        while (!open.isEmpty() && Instant.now().isBefore(deadline)) {
            HealerTestCluster.sleep(2000);
            open = audit.openIntents();
        }
        return open;
    }

    /**
     * A failing disk damages one record header in a sealed segment; the node then compacts that segment and is
     * killed and restarted. The blobs recorded after the damage survive both, the blob whose header was hit is
     * served from the old segment until the restart and reads as missing after it (never served wrong, never hung
     * on), every object reads back throughout, and one healer pass restores full redundancy.
     */
    @Test
    @Order(6)
    void aDamagedRecordHeaderThenCompactionAndRestartLosesNothing() throws Exception {
        SegmentDamage disk = new SegmentDamage(cluster);
        Map<String, byte[]> values = new LinkedHashMap<>();
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < DAMAGED_DISK_OBJECTS; i++) {
            String key = "reliability/" + SETTINGS.seed() + "/damaged-disk/" + i;
            byte[] value = new Workload.Value(key, i, SETTINGS.seed() + i, 6_000 + 100 * i).render();
            values.put(key, value);
            versions.add(store(key, i % 2 == 0 ? "replication" : "ec", value).json().path("version").asString());
        }
        int victim = cluster.blobsOf(versions.getFirst()).keySet().iterator().next();
        String node = "storage-node-" + victim;
        // An orderly restart seals the segments the node was writing, so compaction may rewrite them; one pass
        // settles whatever the healer repaired around the node meanwhile, before the damage.
        cluster.cluster.stop(node);
        List<java.nio.file.Path> sealed = disk.segments(victim);
        cluster.cluster.start(node);
        cluster.fullPass();

        SegmentDamage.Damage damage = disk.damageOneLiveRecordHeader(victim, versions, sealed);
        HISTORY.record(Map.of("fault", "damaged record header", "node", node, "blob", damage.blob(),
                "segment", damage.segment().getFileName().toString()));
        Api.Response compaction = cluster.node(victim).post("/compact", null, new byte[0]);
        assertThat(compaction.status()).as(compaction.text()).isEqualTo(200);
        var result = SegmentDamage.compactionOf(compaction.json(), damage.segment().getFileName().toString());
        boolean servedUntilRestart = result.path("oldKept").asBoolean()
                && cluster.check(victim, List.of(damage.blob())).containsValue("intact");
        int badReads = badReads(values);
        cluster.cluster.kill(node);
        cluster.cluster.start(node);
        boolean missingAfterRestart = cluster.check(victim, List.of(damage.blob())).containsValue("missing");
        badReads += badReads(values);
        cluster.fullPass();
        List<String> degraded = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            try {
                cluster.awaitFullyRedundant(versions.get(i), i % 2 == 0 ? 3 : 6);
            } catch (AssertionError e) {
                degraded.add(versions.get(i) + ": " + e.getMessage());
            }
        }
        badReads += badReads(values);

        SCORECARD.add("damaged disk", "record headers damaged, then compaction and kill -9", 1);
        SCORECARD.add("damaged disk", "bytes compaction skipped as damage", result.path("skippedBytes").asLong());
        SCORECARD.mustBeZero("damaged disk", "objects not read back whole (3 rounds)", badReads);
        SCORECARD.mustBeZero("damaged disk", "damaged blob not served from its old segment before the restart",
                servedUntilRestart ? 0 : 1);
        SCORECARD.mustBeZero("damaged disk", "damaged blob not reported missing after the restart",
                missingAfterRestart ? 0 : 1);
        SCORECARD.mustBeZero("damaged disk", "objects not fully redundant after a healer pass", degraded.size());
        degraded.forEach(d -> SCORECARD.note("damaged disk: " + d));
        assertThat(result.path("skippedBytes").asLong()).as(compaction.text()).isPositive();
        assertThat(servedUntilRestart).as("the blob with the damaged header is served from the old segment: %s",
                compaction.text()).isTrue();
        assertThat(missingAfterRestart).as("after the restart recovery cannot find the damaged record").isTrue();
        assertThat(badReads).as("reads of the objects").isZero();
        assertThat(degraded).as("versions still degraded").isEmpty();
        values.keySet().forEach(key -> assertThat(cluster.api.delete(key).status()).isEqualTo(200));
    }

    /** The objects that do not read back exactly as written. */
    private int badReads(Map<String, byte[]> values) {
        int bad = 0;
        for (var entry : values.entrySet()) {
            Api.Response read = cluster.api.read(entry.getKey());
            if (read.status() != 200 || !java.util.Arrays.equals(read.body(), entry.getValue())) {
                HISTORY.record(Map.of("op", "read after damage", "key", entry.getKey(), "status", read.status()));
                bad++;
            }
        }
        return bad;
    }

    /**
     * A setup write, retried while the cluster answers 503: on a loaded machine a write can outlast the test
     * cluster's 10 s zombie timeout and be rolled back, which is the protocol working, not the thing under test.
     */
    private Api.Response store(String key, String strategy, byte[] value) {
        Api.Response written = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            written = cluster.api.write(key, strategy, false, value);
            if (written.status() != 503) {
                break;
            }
            HealerTestCluster.sleep(1000);
        }
        assertThat(written.status()).as(written.text()).isEqualTo(200);
        return written;
    }

    private static boolean isJsonError(Api.Response response) {
        try {
            var body = response.json();
            return !body.path("error").asString("").isBlank() && !body.path("detail").asString("").isBlank();
        } catch (RuntimeException notJson) {
            return false;
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static String seconds(Duration duration) {
        return "%.1f s".formatted(duration.toMillis() / 1000.0);
    }

    private static String percent(int part, int whole) {
        return whole == 0 ? "n/a" : "%.1f %%".formatted(100.0 * part / whole);
    }
}
