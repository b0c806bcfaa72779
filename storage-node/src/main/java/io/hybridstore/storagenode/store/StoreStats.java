package io.hybridstore.storagenode.store;

/** The store's figures for {@code /info}. */
public record StoreStats(long blobCount, long totalBytes, int queueDepth, int queueCapacity, long fsyncs,
                         long bytesWritten, long corruptReads, Durability durability) {
}
