package io.hybridstore.healer.repair;

import io.etcd.jetcd.Client;
import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.etcd.EtcdProperties;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.healer.cluster.NodeLiveness;
import io.hybridstore.healer.scrub.ScrubProperties;
import io.hybridstore.healer.status.HealerStats;
import io.hybridstore.healer.testing.EtcdProcess;
import io.hybridstore.healer.testing.FakeStorageNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

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

/**
 * Damaged manifests are repaired side by side, as many at once as the budget allows and no more, within a page and
 * across pages: a rebuild of a lost node is bounded by how many repairs wait on fsyncs together, not by one repair's
 * round trips or one page's slowest repair.
 */
class ParallelRepairTest {

    private static final byte[] DATA = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    private static final int DAMAGED = 10;
    private static final int PARALLELISM = 4;

    private static EtcdProcess etcd;
    private static Client client;
    private static EtcdKeys keys;
    private static ManifestStore store;
    private static List<FakeStorageNode> nodes;

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdProcess.startNew();
        client = Client.builder().endpoints(etcd.endpoint()).build();
        keys = new EtcdKeys("/parallel-repair-test/");
        store = new ManifestStore(client.getKVClient(), keys, Duration.ofSeconds(5));
        nodes = IntStream.rangeClosed(1, 3).mapToObj(i -> new FakeStorageNode("n" + i)).toList();
        for (FakeStorageNode node : nodes) {
            node.register(client.getKVClient(), keys);
        }
    }

    /** {@link #DAMAGED} manifests under keys {@code prefix + i}, each missing its replica on n2. */
    private static void damaged(String prefix) {
        long crc = Checksums.crc32c(DATA);
        for (int i = 0; i < DAMAGED; i++) {
            String version = prefix + "v" + i;
            nodes.get(0).store(version + ".data.0", DATA);
            nodes.get(2).store(version + ".data.2", DATA);
            List<Replica> replicas = IntStream.range(0, 3)
                    .mapToObj(r -> new Replica("n" + (r + 1), version + ".data." + r, crc)).toList();
            Manifest manifest = new Manifest(prefix + i, version, Strategy.REPLICATION, "application/json",
                    DATA.length, "s", 0, new ReplicatedPart(DATA.length, "s", replicas), null, null);
            assertThat(store.putIf(manifest, 0)).isEqualTo(ManifestStore.PutResult.COMMITTED);
        }
    }

    @AfterAll
    static void stop() {
        nodes.forEach(FakeStorageNode::close);
        client.close();
        etcd.close();
    }

    @Test
    void aPageOfDamagedManifestsIsRepairedSideBySideUpToTheParallelism() throws Exception {
        damaged("page-");
        assertRepairedWithParallelism("page-", 100);
    }

    /** A page smaller than the parallelism: repairs of the next pages start while the first page's still run. */
    @Test
    void repairsOfSeveralPagesRunSideBySide() throws Exception {
        damaged("pages-");
        assertRepairedWithParallelism("pages-", PARALLELISM - 1);
    }

    private static void assertRepairedWithParallelism(String prefix, int pageSize) throws Exception {
        HealerStats stats = new HealerStats(new SimpleMeterRegistry(), Clock.systemUTC());
        RepairService repair = service(stats, pageSize);
        FakeStorageNode n2 = nodes.get(1);
        n2.holdPuts();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                CompletableFuture<Boolean> scan = CompletableFuture.supplyAsync(() -> {
                    try {
                        return repair.scan();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }, threads);

                assertThat(n2.awaitHeldPuts(PARALLELISM, Duration.ofSeconds(10)))
                        .as("%d repairs writing at once", PARALLELISM).isTrue();
                Thread.sleep(300);
                assertThat(n2.moreHeldPuts()).as("repairs beyond the parallelism").isZero();

                n2.releasePuts();
                assertThat(scan.get(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                n2.releasePuts();
            }
        }
        assertThat(stats.view().objectsRepaired()).isEqualTo(DAMAGED);
        for (int i = 0; i < DAMAGED; i++) {
            Manifest repaired = store.get(prefix + i).orElseThrow().manifest();
            assertThat(repaired.blobs()).hasSize(3).allSatisfy(ref -> assertThat(nodes.stream()
                    .filter(n -> n.info().id().equals(ref.node())).findFirst().orElseThrow().has(ref.blob()))
                    .as("%s on %s", ref.blob(), ref.node()).isTrue());
        }
    }

    private static RepairService service(HealerStats stats, int pageSize) {
        NodeDirectory directory = new NodeDirectory(client.getKVClient(), keys, Duration.ofSeconds(1),
                Duration.ofSeconds(5), Clock.systemUTC());
        return new RepairService(store, directory, new NodeLiveness(directory, Duration.ofSeconds(30), Clock.systemUTC()),
                new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(1), Duration.ofSeconds(20)), () -> true, stats,
                new RepairProperties(Duration.ofMinutes(1), pageSize, 10_000, PARALLELISM, Duration.ofSeconds(30), 3,
                        DataSize.ofGigabytes(1)),
                new ScrubProperties(Duration.ofHours(24), DataSize.ofGigabytes(1)), client, keys,
                EtcdProperties.plain(List.of(etcd.endpoint()), "/parallel-repair-test/", Duration.ofSeconds(5)),
                Clock.systemUTC());
    }
}
