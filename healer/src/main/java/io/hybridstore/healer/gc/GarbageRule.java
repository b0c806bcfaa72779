package io.hybridstore.healer.gc;

import io.hybridstore.common.manifest.BlobRef;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A blob is garbage when no manifest and no open intent names it on that node in two collection runs at least the
 * grace period apart, as this healer's clock tells. A node's {@code createdAt} is never trusted: a node whose clock
 * runs behind would make a blob of a write in flight look old.
 *
 * <p>First-seen times are kept in memory, not in etcd: an observation is only worth anything measured on one clock,
 * and a new leader reading another healer's times would compare them with its own — the trust in a foreign clock
 * this rule removes. So a new leader (or a restarted healer) collects nothing until it has itself watched a blob
 * for the grace period. Blob ids are never reused, so an observation stays true for as long as it is kept.
 */
final class GarbageRule {

    private final Duration grace;
    /** When each blob was first seen unreferenced, as of the last run; a blob not seen so again is forgotten. */
    private Map<BlobRef, Instant> firstSeen = new HashMap<>();
    private Map<BlobRef, Instant> seenThisRun = new HashMap<>();

    GarbageRule(Duration grace) {
        this.grace = grace;
    }

    synchronized void beginRun() {
        seenThisRun = new HashMap<>();
    }

    /** Whether {@code ref}, listed by its node at {@code now}, is to be deleted; records the observation. */
    synchronized boolean isGarbage(BlobRef ref, Set<BlobRef> referenced, Set<BlobRef> open, Instant now) {
        if (referenced.contains(ref) || open.contains(ref)) {
            return false;
        }
        Instant first = firstSeen.get(ref);
        seenThisRun.put(ref, first == null ? now : first);
        return first != null && !now.isBefore(first.plus(grace));
    }

    /** Blobs this run did not see unreferenced (referenced now, deleted, or not reached) lose their first-seen time. */
    synchronized void endRun() {
        firstSeen = seenThisRun;
        seenThisRun = new HashMap<>();
    }

    synchronized int watched() {
        return firstSeen.size();
    }
}
