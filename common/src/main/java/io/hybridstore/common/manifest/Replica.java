package io.hybridstore.common.manifest;

/** One full copy of a replicated part: which node holds it under which blob id, and the blob's CRC32C. */
public record Replica(String node, String blob, long crc32c) {
}
