package io.hybridstore.healer.rollback;

import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.wal.WalRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The intents that are open as far as the log has been read: a PENDING opens one (and, repeated, keeps it alive), a
 * COMMITTED or ABORTED with the same tx id closes it. Knows which are zombies and how far each partition's offset may be committed — never past
 * an open intent, so a healer that takes over reads every open intent again.
 */
final class IntentTracker {

    record Open(WalRecord pending, int partition, long offset) {
    }

    private final Map<String, Open> open = new LinkedHashMap<>();

    void accept(WalRecord record, int partition, long offset) {
        switch (record.type()) {
            // A repeated PENDING is the operation's heartbeat: it is still running as of the newer time, and the
            // offset to resume from stays the first record's.
            case PENDING -> open.merge(record.txId(), new Open(record, partition, offset),
                    (first, beat) -> new Open(beat.pending(), first.partition(), first.offset()));
            case COMMITTED, ABORTED -> open.remove(record.txId());
        }
    }

    /** Intents still open {@code timeout} after the time they carry. */
    List<Open> zombies(Instant now, Duration timeout) {
        long cutoff = now.minus(timeout).toEpochMilli();
        return open.values().stream().filter(o -> o.pending().timestamp() <= cutoff).toList();
    }

    void settled(String txId) {
        open.remove(txId);
    }

    /** Forgets the intents of partitions this consumer no longer owns; their next owner reads them again. */
    void dropPartitions(Set<Integer> partitions) {
        open.values().removeIf(o -> partitions.contains(o.partition()));
    }

    /**
     * The offset to commit per partition given the consumer's positions: the offset of the oldest open intent of
     * that partition, else the position.
     */
    Map<Integer, Long> committable(Map<Integer, Long> positions) {
        Map<Integer, Long> result = new HashMap<>(positions);
        open.values().forEach(o -> result.computeIfPresent(o.partition(), (p, pos) -> Math.min(pos, o.offset())));
        return result;
    }

    Set<BlobRef> openBlobs() {
        return open.values().stream().flatMap(o -> o.pending().blobs().stream()).collect(Collectors.toUnmodifiableSet());
    }

    int size() {
        return open.size();
    }
}
