package io.hybridstore.healer.repair;

import io.etcd.jetcd.Client;
import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.healer.cluster.NodeLiveness;
import io.hybridstore.healer.cluster.Pacer;
import io.hybridstore.healer.cluster.NodeState;
import io.hybridstore.healer.repair.RepairExecutor.Outcome;
import io.hybridstore.healer.status.HealerStats;
import io.hybridstore.healer.testing.EtcdProcess;
import io.hybridstore.healer.testing.FakeStorageNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Repairs racing each other: in one healer (scrub beside a hint) or across a leader change (a late commit). */
class RepairExecutorTest {

    private static final byte[] DATA = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    private static EtcdProcess etcd;
    private static Client client;
    private static ManifestStore store;
    private static NodeDirectory directory;
    private static List<FakeStorageNode> nodes;
    private static HealerStats stats;
    private static RepairExecutor executor;
    private final RepairPlanner planner = new RepairPlanner(3);

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdProcess.startNew();
        client = Client.builder().endpoints(etcd.endpoint()).build();
        EtcdKeys keys = new EtcdKeys("/repair-test/");
        store = new ManifestStore(client.getKVClient(), keys, Duration.ofSeconds(5));
        nodes = IntStream.rangeClosed(1, 3).mapToObj(i -> new FakeStorageNode("n" + i)).toList();
        for (FakeStorageNode node : nodes) {
            node.register(client.getKVClient(), keys);
        }
        directory = new NodeDirectory(client.getKVClient(), keys, Duration.ofSeconds(1), Duration.ofSeconds(5),
                Clock.systemUTC());
        stats = new HealerStats(new SimpleMeterRegistry(), Clock.systemUTC());
        executor = new RepairExecutor(store, directory, new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(1),
                Duration.ofSeconds(10)), () -> true, stats, new Pacer(1e12));
    }

    @AfterAll
    static void stop() {
        nodes.forEach(FakeStorageNode::close);
        client.close();
        etcd.close();
    }

    @Test
    void theLoserOfTwoRepairsFromOneRevisionLeavesTheWinnersBlobsInPlace() {
        VersionedManifest current = replicatedWithMissingReplica("k-race", "v1");
        BlobVerdicts verdicts = missing("n2/v1.data.1");
        RepairPlan first = planner.plan(current.manifest(), verdicts, allLive());
        RepairPlan late = planner.plan(current.manifest(), verdicts, allLive());

        assertThat(executor.execute(current, first, verdicts)).isEqualTo(Outcome.REPAIRED);
        assertThat(executor.execute(current, late, verdicts)).isEqualTo(Outcome.CONFLICT);

        Manifest committed = store.get("k-race").orElseThrow().manifest();
        assertThat(committed.blobs()).hasSize(3).allSatisfy(ref ->
                assertThat(node(ref.node()).has(ref.blob())).as("%s on %s", ref.blob(), ref.node()).isTrue());
        assertThat(node("n2").blobIds()).as("the loser's own blob is gone")
                .containsExactlyInAnyOrderElementsOf(committed.blobs().stream()
                        .filter(r -> r.node().equals("n2")).map(BlobRef::blob).toList());
    }

    @Test
    void aSecondRepairOfAKeyWaitsOutTheOneInFlightInsteadOfWriting() throws Exception {
        VersionedManifest current = replicatedWithMissingReplica("k-busy", "v2");
        BlobVerdicts verdicts = missing("n2/v2.data.1");
        FakeStorageNode n2 = node("n2");
        n2.holdPuts();
        // Threads of their own: the common pool may have a single worker, which the held repair would occupy.
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                CompletableFuture<Outcome> inFlight = CompletableFuture.supplyAsync(() -> executor.execute(current,
                        planner.plan(current.manifest(), verdicts, allLive()), verdicts), threads);
                n2.awaitHeldPut();

                Outcome second = CompletableFuture.supplyAsync(() -> executor.execute(current,
                        planner.plan(current.manifest(), verdicts, allLive()), verdicts), threads)
                        .get(5, TimeUnit.SECONDS);

                assertThat(second).isEqualTo(Outcome.BUSY);
                n2.releasePuts();
                assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.REPAIRED);
            } finally {
                n2.releasePuts();
            }
        }
        Manifest committed = store.get("k-busy").orElseThrow().manifest();
        assertThat(committed.blobs()).allSatisfy(ref -> assertThat(node(ref.node()).has(ref.blob())).isTrue());
        assertThat(n2.blobIds().stream().filter(id -> id.startsWith("v2."))).hasSize(1);
    }

    private static VersionedManifest replicatedWithMissingReplica(String key, String version) {
        long crc = Checksums.crc32c(DATA);
        List<Replica> replicas = IntStream.range(0, 3)
                .mapToObj(i -> new Replica("n" + (i + 1), version + ".data." + i, crc)).toList();
        node("n1").store(version + ".data.0", DATA);
        node("n3").store(version + ".data.2", DATA);
        Manifest manifest = new Manifest(key, version, Strategy.REPLICATION, "application/json", DATA.length, "s", 0,
                new ReplicatedPart(DATA.length, "s", replicas), null, null);
        assertThat(store.putIf(manifest, 0)).isEqualTo(ManifestStore.PutResult.COMMITTED);
        return store.get(key).orElseThrow();
    }

    private static BlobVerdicts missing(String nodeAndBlob) {
        return (node, blob) -> (node + "/" + blob).equals(nodeAndBlob) ? Verdict.BAD : Verdict.INTACT;
    }

    private static NodeLiveness.Snapshot allLive() {
        return new NodeLiveness.Snapshot(nodes.stream().map(FakeStorageNode::info).toList(), id -> NodeState.LIVE);
    }

    private static FakeStorageNode node(String id) {
        return nodes.stream().filter(n -> n.info().id().equals(id)).findFirst().orElseThrow();
    }
}
