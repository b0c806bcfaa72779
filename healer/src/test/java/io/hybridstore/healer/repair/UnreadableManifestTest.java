package io.hybridstore.healer.repair;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.etcd.EtcdProperties;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A manifest in etcd that cannot be read is passed over by the repair scan and the scrub, not stopped at. */
class UnreadableManifestTest {

    private static EtcdProcess etcd;
    private static Client client;
    private static EtcdKeys keys;
    private static ManifestStore store;

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdProcess.startNew();
        client = Client.builder().endpoints(etcd.endpoint()).build();
        keys = new EtcdKeys("/unreadable-test/");
        store = new ManifestStore(client.getKVClient(), keys, Duration.ofSeconds(5));
        for (String key : List.of("a", "c", "d")) {
            assertThat(store.putIf(manifest(key), 0)).isEqualTo(ManifestStore.PutResult.COMMITTED);
        }
        client.getKVClient().put(keys.object("b"), ByteSequence.from("{not a manifest", StandardCharsets.UTF_8)).get();
    }

    @AfterAll
    static void stop() {
        client.close();
        etcd.close();
    }

    @Test
    void theScanAndTheScrubGoPastAnUnreadableManifestAndCountIt() throws Exception {
        HealerStats stats = new HealerStats(new SimpleMeterRegistry(), Clock.systemUTC());
        RepairService repair = service(stats, 2);

        assertThat(repair.scan()).isTrue();
        assertThat(stats.view().objectsScanned()).isEqualTo(3);
        assertThat(stats.view().manifestsUnreadable()).isEqualTo(1);

        assertThat(repair.scrub()).isTrue();
        assertThat(stats.view().objectsVerified()).isEqualTo(3);
        assertThat(stats.view().manifestsUnreadable()).isEqualTo(2);
    }

    private static RepairService service(HealerStats stats, int pageSize) {
        NodeDirectory directory = new NodeDirectory(client.getKVClient(), keys, Duration.ofSeconds(1),
                Duration.ofSeconds(5), Clock.systemUTC());
        return new RepairService(store, directory, new NodeLiveness(directory, Duration.ofSeconds(30), Clock.systemUTC()),
                new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(1), Duration.ofSeconds(2)), () -> true, stats,
                new RepairProperties(Duration.ofMinutes(1), pageSize, 10_000, 4, Duration.ofSeconds(30), 3,
                        DataSize.ofGigabytes(1)),
                new ScrubProperties(Duration.ofHours(24), DataSize.ofGigabytes(1)), client, keys,
                EtcdProperties.plain(List.of(etcd.endpoint()), "/unreadable-test/", Duration.ofSeconds(5)),
                Clock.systemUTC());
    }

    private static Manifest manifest(String key) {
        return new Manifest(key, "v-" + key, Strategy.REPLICATION, "application/json", 2, "ab", 0,
                new ReplicatedPart(2, "ab", List.of(new Replica("n1", "v-" + key + ".data.0", 1))), null, null);
    }
}
