package io.hybridstore.healer.rollback;

import io.etcd.jetcd.Client;
import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.wal.WalRecord;
import io.hybridstore.common.wal.WalRecordCodec;
import io.hybridstore.healer.status.HealerStats;
import io.hybridstore.healer.testing.EtcdProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rollback worker against a scripted log (Kafka's mock consumer, batches of at most 500 records as the healer is
 * configured) and a real etcd for the fences.
 */
class RollbackWorkerTest {

    private static final String TOPIC = "wal-test";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Duration ZOMBIE_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger KEYS = new AtomicInteger();

    private static EtcdProcess etcd;
    private static Client client;
    private static ManifestStore store;
    private static NodeDirectory directory;

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    /** Open for the whole test: the template closes the producer after each send, as pooled ones ignore. */
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
            new ByteArraySerializer()) {
        @Override
        public void close(Duration timeout) {
        }
    };
    private final HealerStats stats = new HealerStats(new SimpleMeterRegistry(), Clock.systemUTC());
    private RollbackWorker worker;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.startNew();
        client = Client.builder().endpoints(etcd.endpoint()).build();
        EtcdKeys keys = new EtcdKeys("/rollback-test/");
        store = new ManifestStore(client.getKVClient(), keys, Duration.ofSeconds(5));
        directory = new NodeDirectory(client.getKVClient(), keys, Duration.ofSeconds(1), Duration.ofSeconds(5),
                Clock.systemUTC());
    }

    @AfterAll
    static void stopEtcd() {
        client.close();
        etcd.close();
    }

    @AfterEach
    void stopWorker() {
        if (worker != null) {
            worker.stop();
        }
    }

    @Test
    void malformedRecordsAreSkippedAndCountedAndRollbackGoesOn() throws Exception {
        String key = "k" + KEYS.incrementAndGet();
        List<byte[]> log = new ArrayList<>();
        log.add("{}".getBytes(StandardCharsets.UTF_8));
        log.add(null);
        log.add("{\"timestamp\":1}".getBytes(StandardCharsets.UTF_8));
        log.add("{\"type\":\"PENDING\",\"txId\":\"tx-x\",\"timestamp\":1}".getBytes(StandardCharsets.UTF_8));
        log.add("not json".getBytes(StandardCharsets.UTF_8));
        log.add(WalRecordCodec.toJson(pending("tx-stalled", key, "v-stalled", Instant.now().minusSeconds(120))));
        start(log);

        awaitClosed("tx-stalled");
        assertThat(closingOf("tx-stalled")).isEqualTo(WalRecord.Type.ABORTED);
        assertThat(store.putIf(manifest(key, "v-stalled"), 0)).as("the stalled version is fenced")
                .isEqualTo(ManifestStore.PutResult.ROLLED_BACK);
        awaitCaughtUp();
        assertThat(stats.view().logRecordsSkipped()).isEqualTo(5);
    }

    @Test
    void aLiveWriteWhoseHeartbeatIsInALaterBatchIsNotRolledBack() throws Exception {
        String liveKey = "k" + KEYS.incrementAndGet();
        String stalledKey = "k" + KEYS.incrementAndGet();
        Instant now = Instant.now();
        List<byte[]> log = new ArrayList<>();
        log.add(WalRecordCodec.toJson(pending("tx-live", liveKey, "v-live", now.minusSeconds(120))));
        log.add(WalRecordCodec.toJson(pending("tx-dead", stalledKey, "v-dead", now.minusSeconds(120))));
        for (int i = 0; i < 600; i++) {
            log.add(WalRecordCodec.toJson(pending("tx-other-" + i, "other", "v-other", now.minusSeconds(120))
                    .close(WalRecord.Type.COMMITTED, now.toEpochMilli())));
        }
        log.add(WalRecordCodec.toJson(pending("tx-live", liveKey, "v-live", now)));
        start(log);

        awaitClosed("tx-dead");
        awaitCaughtUp();
        assertThat(closingOf("tx-live")).as("the live write").isNull();
        assertThat(store.putIf(manifest(liveKey, "v-live"), 0)).as("the live write commits")
                .isEqualTo(ManifestStore.PutResult.COMMITTED);
        assertThat(stats.view().intentsRolledBack()).isEqualTo(1);
    }

    private void start(List<byte[]> values) {
        consumer.setMaxPollRecords(500);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
            consumer.updateEndOffsets(Map.of(PARTITION, (long) values.size()));
            for (int i = 0; i < values.size(); i++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, "key", values.get(i)));
            }
        });
        ConsumerFactory<String, byte[]> consumers = new ConsumerFactory<>() {
            @Override
            public org.apache.kafka.clients.consumer.Consumer<String, byte[]> createConsumer(
                    String groupId, String prefix, String suffix, Properties properties) {
                return consumer;
            }

            @Override
            public boolean isAutoCommit() {
                return false;
            }
        };
        worker = new RollbackWorker(consumers, new KafkaTemplate<>(() -> producer), store, directory,
                new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(1), Duration.ofSeconds(2)), () -> true, reason -> {
                }, stats,
                new RollbackProperties(TOPIC, "group", ZOMBIE_TIMEOUT, Duration.ofMillis(50)), Clock.systemUTC());
        worker.start();
    }

    private void awaitClosed(String txId) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (closingOf(txId) == null && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(closingOf(txId)).as("closing record of %s", txId).isNotNull();
    }

    private void awaitCaughtUp() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (worker.openIntents().isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(worker.openIntents()).as("an open-intent snapshot for garbage collection").isPresent();
    }

    private WalRecord.Type closingOf(String txId) {
        return producer.history().stream().map(ProducerRecord::value).map(WalRecordCodec::fromJson)
                .filter(r -> r.txId().equals(txId) && r.type() != WalRecord.Type.PENDING)
                .map(WalRecord::type).findFirst().orElse(null);
    }

    private static WalRecord pending(String txId, String key, String version, Instant at) {
        return new WalRecord(WalRecord.Type.PENDING, txId, WalRecord.Operation.WRITE, key, version,
                List.of(new BlobRef("n1", version + ".data.0")), at.toEpochMilli(), "gw-1");
    }

    private static Manifest manifest(String key, String version) {
        return new Manifest(key, version, Strategy.REPLICATION, "application/json", 2, "ab", 0,
                new ReplicatedPart(2, "ab", List.of(new Replica("n1", version + ".data.0", 1))), null, null);
    }
}
