package io.hybridstore.storagenode.store;

/** When a put is acknowledged. */
public enum Durability {
    /** After the group commit that made the blob durable (fdatasync of its segment). */
    SYNC,
    /**
     * As soon as the blob is queued. Unsafe: a process crash loses what is still queued, and a power loss loses
     * every acknowledged blob the kernel had not yet written back. Kept for compatibility with the original system's
     * write-back mode and for benchmarks; never the default.
     */
    ASYNC
}
