package io.hybridstore.storagenode.store;

import java.util.concurrent.CompletableFuture;

/** A change waiting in the write queue; {@code done} completes once it is durable (or failed). */
sealed interface WriteOp {

    String id();

    long seq();

    CompletableFuture<Void> done();

    /** Queued bytes it holds in memory until it is written. */
    long bytes();

    record Put(String id, IndexEntry.Pending entry, CompletableFuture<Void> done) implements WriteOp {

        @Override
        public long seq() {
            return entry.seq();
        }

        @Override
        public long bytes() {
            return entry.length();
        }
    }

    /** A tombstone: it must reach disk so that recovery does not bring back an older put of the id. */
    record Delete(String id, long seq, long createdAt, CompletableFuture<Void> done) implements WriteOp {

        @Override
        public long bytes() {
            return 0;
        }
    }
}
