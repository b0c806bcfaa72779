package io.hybridstore.storagenode.store;

/** What a put stored: the answer to {@code PUT /blobs/{id}}. */
public record StoredBlob(String id, long length, long crc32c) {
}
