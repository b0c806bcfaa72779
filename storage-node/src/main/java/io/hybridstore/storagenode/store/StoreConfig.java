package io.hybridstore.storagenode.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link BlobStore} lays out and drains its writes.
 *
 * @param queueCapacity  blobs (and deletes) accepted but not yet durable, beyond which writes are refused
 * @param queueMaxBytes  bytes of queued blob data beyond which writes are refused
 * @param ioWorkers      writer threads; each owns one active segment and group-commits independently
 * @param maxBatch       most operations one worker makes durable with one fdatasync
 * @param segmentSize    size after which a worker seals its segment and starts a new one
 */
public record StoreConfig(Path dataDir, Durability durability, int queueCapacity, long queueMaxBytes,
                          int ioWorkers, int maxBatch, long segmentSize) {

    public StoreConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(durability, "durability");
        if (queueCapacity < 1 || queueMaxBytes < 1 || ioWorkers < 1 || maxBatch < 1 || segmentSize < 1) {
            throw new IllegalArgumentException("queue capacity, queue bytes, io workers, max batch and segment size"
                    + " must all be positive");
        }
    }
}
