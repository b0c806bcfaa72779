package io.hybridstore.common.manifest;

/** Shard {@code index} of one stripe (0..k-1 data, k..k+m-1 parity) on {@code node} as blob {@code blob}. */
public record Shard(int index, String node, String blob, long crc32c) {
}
