package io.hybridstore.storagenode.store;

import java.util.concurrent.CompletableFuture;

/** A change waiting in the write queue; {@code done} completes once it is durable (or failed). */
sealed interface WriteOp {

    String id();

    long seq();

    CompletableFuture<Void> done();

    /** Queued bytes it holds in memory until it is written. */
    long bytes();

    /**
     * Whether a caller waits for it to be durable. A batch of changes nobody waits for is written without its own
     * fdatasync: the next synced batch of the segment carries it to disk.
     */
    boolean awaited();

    record Put(String id, IndexEntry.Pending entry, CompletableFuture<Void> done) implements WriteOp {

        @Override
        public long seq() {
            return entry.seq();
        }

        @Override
        public long bytes() {
            return entry.length();
        }

        @Override
        public boolean awaited() {
            return true;
        }
    }

    /**
     * A tombstone: it must reach disk so that recovery does not bring back an older put of the id; when nobody awaits
     * it (a blob no manifest references), it may reach disk with a later batch, and a crash before that brings back
     * only garbage.
     */
    record Delete(String id, long seq, long createdAt, boolean awaited, CompletableFuture<Void> done)
            implements WriteOp {

        @Override
        public long bytes() {
            return 0;
        }
    }
}
