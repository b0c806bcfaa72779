package io.hybridstore.gateway.wal;

import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.wal.WalRecord;
import io.hybridstore.common.wal.WalRecordCodec;
import io.hybridstore.gateway.GatewayProperties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;
import org.springframework.util.unit.DataSize;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing records are not sent one by one as their operations end but held briefly and handed to the producer
 * together; a PENDING record is never held, since the write waits for the log to take it.
 */
class IntentLogTest {

    /** Shared, as the gateway's producer is: the template closes the producer it is given after every send. */
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
                @Override
                public void close(Duration timeout) {
                }
            };
    private IntentLog intentLog;

    @AfterEach
    void close() {
        if (intentLog != null) {
            intentLog.close();
        }
    }

    @Test
    void closingRecordsOfConcurrentWritesAreSentTogetherAfterTheDelay() throws InterruptedException {
        intentLog = intentLog(Duration.ofMillis(300));
        long start = System.nanoTime();
        IntStream.range(0, 5).forEach(i -> intent("key-" + i).committed());

        assertThat(sent()).as("closing records held").isEmpty();
        awaitSent(5, Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(sent()).extracting(WalRecord::type).containsOnly(WalRecord.Type.COMMITTED);
        assertThat(sent()).extracting(WalRecord::key)
                .containsExactlyInAnyOrder("key-0", "key-1", "key-2", "key-3", "key-4");
    }

    @Test
    void aZeroDelaySendsEachClosingRecordAtOnce() {
        intentLog = intentLog(Duration.ZERO);
        intent("key").aborted();

        assertThat(sent()).extracting(WalRecord::type).containsExactly(WalRecord.Type.ABORTED);
    }

    @Test
    void closingTheLogSendsWhatItHolds() {
        intentLog = intentLog(Duration.ofMinutes(1));
        intent("a").committed();
        intent("b").aborted();

        intentLog.close();

        assertThat(sent()).extracting(WalRecord::key).containsExactly("a", "b");
    }

    private IntentLog intentLog(Duration closeDelay) {
        WalProperties wal = new WalProperties("hybridstore-wal", 6, (short) 1, Duration.ofSeconds(5),
                Duration.ofSeconds(10), closeDelay);
        GatewayProperties gateway = new GatewayProperties("gateway-1", DataSize.ofMegabytes(64), 64,
                DataSize.ofKilobytes(512), 3, 2, 5, Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofMinutes(10), Duration.ofSeconds(5), 0, List.of(),
                new GatewayProperties.ErasureCoding(4, 2, DataSize.ofMegabytes(1)));
        return new IntentLog(new KafkaTemplate<>(new MockProducerFactory<>(() -> producer)),
                new KafkaAdmin(Map.of()), new NewTopic("hybridstore-wal", 6, (short) 1), wal, gateway,
                Clock.systemUTC());
    }

    /** An intent as begin() opens it, without its PENDING append (which would need a broker for the topic). */
    private Intent intent(String key) {
        WalRecord pending = new WalRecord(WalRecord.Type.PENDING, "tx-" + key, WalRecord.Operation.WRITE, key, "v1",
                List.of(new BlobRef("storage-node-1", "blob-" + key)), System.currentTimeMillis(), "gateway-1");
        return new Intent(intentLog, pending, Clock.systemUTC());
    }

    private List<WalRecord> sent() {
        return producer.history().stream().map(ProducerRecord::value).map(WalRecordCodec::fromJson).toList();
    }

    private void awaitSent(int records, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (producer.history().size() < records && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(producer.history()).hasSize(records);
    }
}
