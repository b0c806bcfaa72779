package io.hybridstore.common.node;

/** A blob as a storage node lists it; {@code createdAt} is epoch milliseconds (0 when unknown). */
public record BlobStat(String id, long length, long crc32c, long createdAt) {
}
