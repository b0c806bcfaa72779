package io.hybridstore.gateway.wal;

import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.wal.WalRecord;
import io.hybridstore.common.wal.WalRecordCodec;
import io.hybridstore.gateway.GatewayProperties;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Appends intents to the Kafka-protocol log. The producer runs with acks=all and idempotence (application.yaml),
 * and records are keyed by object key so one key's intents stay ordered on one partition. Nothing on the request
 * path ever reads the log; only the healer does.
 *
 * <p>A PENDING record is waited for, as the operation may not touch a blob before the log holds it. Closing records
 * and heartbeats are not: they are held for {@code close-delay} and handed to the producer together, which sends
 * them in one produce request. Sent one by one they were half of the broker's requests, and a produce request
 * costs the broker and the gateway's producer far more than the few bytes in it.
 */
@Component
public class IntentLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IntentLog.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final KafkaAdmin admin;
    private final NewTopic topic;
    private final WalProperties properties;
    private final String gatewayId;
    private final Clock clock;
    private volatile boolean topicReady;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("intent-heartbeats").daemon().factory());
    private final Queue<WalRecord> held = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sendScheduled = new AtomicBoolean();

    IntentLog(KafkaTemplate<String, byte[]> kafka, KafkaAdmin admin, NewTopic walTopic, WalProperties properties,
              GatewayProperties gateway, Clock clock) {
        this.kafka = kafka;
        this.admin = admin;
        this.properties = properties;
        this.topic = walTopic;
        this.gatewayId = gateway.id();
        this.clock = clock;
    }

    /** Appends a PENDING intent naming every blob the operation may create or remove. */
    public Intent begin(WalRecord.Operation operation, String key, String version, List<BlobRef> blobs) {
        WalRecord pending = new WalRecord(WalRecord.Type.PENDING, UUID.randomUUID().toString(), operation, key,
                version, blobs, clock.millis(), gatewayId);
        append(pending);
        Intent intent = new Intent(this, pending, clock);
        intent.heartbeatWith(heartbeats, properties.heartbeatInterval());
        return intent;
    }

    void append(WalRecord record) {
        ensureTopic();
        try {
            kafka.send(properties.topic(), record.key(), WalRecordCodec.toJson(record))
                    .get(properties.appendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailableException("interrupted while appending to the log", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new LogUnavailableException("the log did not take a " + record.type() + " record for tx "
                    + record.txId() + " within " + properties.appendTimeout() + ": " + rootMessage(e), e);
        }
    }

    /**
     * Appends a record that closes an intent, or repeats it, without waiting for the broker: the outcome it records
     * already happened (in etcd, or by deleting blobs), so the write's answer need not wait for it. A record that
     * never arrives leaves the intent open, which the healer settles as it does after a gateway crash.
     */
    void appendInBackground(WalRecord record) {
        if (properties.closeDelay().isZero()) {
            send(record);
            return;
        }
        held.add(record);
        if (sendScheduled.compareAndSet(false, true)) {
            try {
                heartbeats.schedule(this::sendHeld, properties.closeDelay().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                sendHeld();
            }
        }
    }

    /** Clears the flag before draining, so a record added meanwhile is either drained now or schedules a send. */
    private void sendHeld() {
        sendScheduled.set(false);
        for (WalRecord record; (record = held.poll()) != null; ) {
            send(record);
        }
    }

    private void send(WalRecord record) {
        try {
            kafka.send(properties.topic(), record.key(), WalRecordCodec.toJson(record)).whenComplete((sent, e) -> {
                if (e != null) {
                    log.warn("Could not append {} for intent {}; the healer will settle it: {}", record.type(),
                            record.txId(), rootMessage(e));
                }
            });
        } catch (RuntimeException e) {
            log.warn("Could not append {} for intent {}; the healer will settle it: {}", record.type(), record.txId(),
                    rootMessage(e));
        }
    }

    /** Hands what is held to the producer, which sends it before it closes (it is destroyed after this bean). */
    @Override
    public void close() {
        heartbeats.shutdownNow();
        sendHeld();
    }

    /**
     * Makes sure the topic exists before the first append, not only at start-up, so a gateway that came up before
     * the broker still works once the broker is there.
     */
    private void ensureTopic() {
        if (!topicReady) {
            synchronized (this) {
                if (!topicReady) {
                    admin.createOrModifyTopics(topic);
                    topicReady = true;
                    log.info("Log topic {} ready ({} partitions, replication factor {})", topic.name(),
                            topic.numPartitions(), topic.replicationFactor());
                }
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
