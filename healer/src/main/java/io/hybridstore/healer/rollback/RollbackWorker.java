package io.hybridstore.healer.rollback;

import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.MetadataUnavailableException;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.common.node.NodeBlobs;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.wal.WalRecord;
import io.hybridstore.common.wal.WalRecordCodec;
import io.hybridstore.healer.leadership.Abdication;
import io.hybridstore.healer.leadership.BackgroundLoop;
import io.hybridstore.healer.leadership.LeaderGate;
import io.hybridstore.healer.status.HealerStats;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Reads the intent log in the healers' consumer group on one virtual thread, only while leading: a follower closes
 * its consumer, so the leader owns every partition. Stalled intents are settled by {@link ZombieRule}; offsets are
 * committed only after that and never past an open intent (at-least-once; settling twice is harmless, as deletes
 * are idempotent and a second closing record is ignored).
 */
@Component
public class RollbackWorker extends BackgroundLoop implements IntentLog {

    private static final Logger log = LoggerFactory.getLogger(RollbackWorker.class);
    private static final Duration IDLE = Duration.ofMillis(200);
    private static final Duration APPEND_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How often offsets are committed and a settling cycle starts. Both cost a round trip to the broker; done after
     * every poll, they cost the broker and the healer more CPU than reading the log itself, when a stalled intent is
     * only settled after the zombie timeout anyway, and a commit that comes later only means more to replay.
     */
    private static final Duration BOOKKEEPING_INTERVAL = Duration.ofSeconds(1);

    private final ConsumerFactory<String, byte[]> consumers;
    private final KafkaTemplate<String, byte[]> producer;
    private final ManifestStore manifests;
    private final NodeBlobs blobs;
    private final LeaderGate gate;
    private final HealerStats stats;
    private final RollbackProperties properties;
    private final Clock clock;
    private volatile OpenIntents snapshot;

    RollbackWorker(ConsumerFactory<String, byte[]> consumers, KafkaTemplate<String, byte[]> producer,
                   ManifestStore manifests, NodeDirectory directory, StorageNodeClient client, LeaderGate gate,
                   Abdication abdication, HealerStats stats, RollbackProperties properties, Clock clock) {
        super("healer-rollback", abdication);
        this.consumers = consumers;
        this.producer = producer;
        this.manifests = manifests;
        this.blobs = new NodeBlobs(directory, client);
        this.gate = gate;
        this.stats = stats;
        this.properties = properties;
        this.clock = clock;
    }

    /** The open intents as of the last time this leader had read the whole log, if it has. */
    @Override
    public Optional<OpenIntents> openIntents() {
        return Optional.ofNullable(snapshot);
    }

    @Override
    protected void loop() {
        while (running()) {
            try {
                if (!gate.isLeader()) {
                    Thread.sleep(IDLE);
                    continue;
                }
                lead();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (KafkaException | MetadataUnavailableException e) {
                log.warn("Rollback consumer failed, starting over: {}", e.getMessage());
                sleepQuietly();
            } catch (RuntimeException e) {
                log.error("Rollback consumer failed unexpectedly, starting over", e);
                stats.loopError();
                sleepQuietly();
            }
        }
    }

    /**
     * One leadership term's consumer: polls and settles until leadership ends, then leaves the group. Work goes in
     * cycles: read the end offsets, poll until the consumer has reached them, then settle. Only then is the absence
     * of a heartbeat known — a new leader replaying from an old offset must not roll back a live write whose
     * heartbeats are in a batch it has not polled yet.
     */
    private void lead() throws InterruptedException {
        IntentTracker tracker = new IntentTracker();
        snapshot = null;
        try (Consumer<String, byte[]> consumer = consumers.createConsumer(properties.groupId(), null, "-rollback")) {
            consumer.subscribe(List.of(properties.topic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    tracker.dropPartitions(partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    snapshot = null;
                }
            });
            Cycle cycle = null;
            Instant nextCycle = Instant.MIN;
            Instant nextCommit = clock.instant().plus(BOOKKEEPING_INTERVAL);
            while (running() && gate.isLeader()) {
                if (cycle == null && !clock.instant().isBefore(nextCycle)) {
                    cycle = Cycle.start(consumer, clock);
                }
                var records = consumer.poll(properties.pollTimeout());
                for (ConsumerRecord<String, byte[]> record : records) {
                    decode(record).ifPresent(r -> tracker.accept(r, record.partition(), record.offset()));
                }
                if (cycle != null && cycle.reached(consumer)) {
                    snapshot = new OpenIntents(cycle.startedAt(), tracker.openBlobs());
                    settleZombies(tracker, cycle.startedAt());
                    nextCycle = cycle.startedAt().plus(BOOKKEEPING_INTERVAL);
                    cycle = null;
                } else if (cycle != null && cycle.stale(consumer)) {
                    cycle = null;
                }
                if (!clock.instant().isBefore(nextCommit)) {
                    commit(consumer, tracker);
                    nextCommit = clock.instant().plus(BOOKKEEPING_INTERVAL);
                }
            }
        } finally {
            snapshot = null;
        }
    }

    /** The end offsets of the assigned partitions as read at {@code startedAt}. */
    private record Cycle(Instant startedAt, Map<TopicPartition, Long> ends) {

        /** A cycle from now, or null while no partition is assigned yet (the first poll assigns them). */
        static Cycle start(Consumer<String, byte[]> consumer, Clock clock) {
            Set<TopicPartition> assigned = consumer.assignment();
            if (assigned.isEmpty()) {
                return null;
            }
            Instant now = clock.instant();
            return new Cycle(now, Map.copyOf(consumer.endOffsets(assigned)));
        }

        boolean reached(Consumer<String, byte[]> consumer) {
            Set<TopicPartition> assigned = consumer.assignment();
            return !assigned.isEmpty() && ends.keySet().containsAll(assigned)
                    && assigned.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
        }

        /** A rebalance assigned a partition whose end was not read: start a new cycle. */
        boolean stale(Consumer<String, byte[]> consumer) {
            return !ends.keySet().containsAll(consumer.assignment());
        }
    }

    /** Intents with no heartbeat for the zombie timeout before {@code readUpTo}, the time the log was read up to. */
    private void settleZombies(IntentTracker tracker, Instant readUpTo) throws InterruptedException {
        for (IntentTracker.Open zombie : tracker.zombies(readUpTo, properties.zombieTimeout())) {
            if (!gate.isLeader()) {
                return;
            }
            WalRecord pending = zombie.pending();
            Optional<Manifest> current = pending.operation() == WalRecord.Operation.WRITE
                    ? manifests.fenceUncommitted(pending.key(), pending.version())
                    : manifests.get(pending.key()).map(VersionedManifest::manifest);
            ZombieRule.Settlement settlement = ZombieRule.settle(pending, current);
            settlement.delete().forEach(this::deleteQuietly);
            if (!gate.isLeader()) {
                return;
            }
            append(pending.close(settlement.outcome(), clock.millis()));
            tracker.settled(pending.txId());
            if (pending.operation() == WalRecord.Operation.WRITE && settlement.outcome() == WalRecord.Type.ABORTED) {
                stats.rolledBack();
            } else {
                stats.settled();
            }
            log.info("Settled stalled {} intent {} of '{}' version {} as {}; deleted {} blobs", pending.operation(),
                    pending.txId(), pending.key(), pending.version(), settlement.outcome(), settlement.delete().size());
        }
    }

    private void deleteQuietly(BlobRef ref) {
        blobs.delete(ref, true);
    }

    private void append(WalRecord record) throws InterruptedException {
        try {
            producer.send(properties.topic(), record.key(), WalRecordCodec.toJson(record))
                    .get(APPEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not append " + record.type() + " for " + record.txId(), e);
        }
    }

    private static void commit(Consumer<String, byte[]> consumer, IntentTracker tracker) {
        Map<Integer, Long> positions = consumer.assignment().stream()
                .collect(Collectors.toMap(TopicPartition::partition, consumer::position));
        String topic = consumer.assignment().stream().findFirst().map(TopicPartition::topic).orElse(null);
        if (topic == null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable(positions).entrySet().stream()
                .collect(Collectors.toMap(e -> new TopicPartition(topic, e.getKey()), e -> new OffsetAndMetadata(e.getValue())));
        consumer.commitSync(offsets);
    }

    /**
     * The record, or empty for one that cannot be an intent (no value, not JSON, a field it needs missing): such a
     * record is logged, counted and passed over, or it would stop rollback and garbage collection for good, as the
     * offset could never move past it.
     */
    private Optional<WalRecord> decode(ConsumerRecord<String, byte[]> record) {
        String problem;
        try {
            WalRecord decoded = record.value() == null ? null : WalRecordCodec.fromJson(record.value());
            problem = decoded == null ? "no value" : missingField(decoded);
            if (problem == null) {
                return Optional.of(decoded);
            }
        } catch (JacksonException e) {
            problem = e.getOriginalMessage();
        }
        log.warn("Skipping unreadable log record at {}-{}@{}: {}", record.topic(), record.partition(),
                record.offset(), problem);
        stats.logRecordSkipped();
        return Optional.empty();
    }

    /** What an intent lacks to be tracked and settled, or null when nothing. */
    private static String missingField(WalRecord record) {
        if (record.type() == null || record.txId() == null) {
            return "no type or transaction id";
        }
        if (record.type() == WalRecord.Type.PENDING
                && (record.operation() == null || record.key() == null || record.version() == null)) {
            return "a PENDING intent without operation, key or version";
        }
        return null;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
