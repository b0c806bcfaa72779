package io.hybridstore.shardio;

import io.hybridstore.common.manifest.Shard;
import io.hybridstore.common.node.NodeBlobs;

import java.util.Optional;

/** Where shards come from: their bytes verified against the manifest's CRC32C, or empty when missing or corrupt. */
@FunctionalInterface
public interface ShardSource {

    Optional<byte[]> fetch(Shard shard);

    /** The storage nodes; a node that is unknown, down or answers with an error counts as a missing shard. */
    static ShardSource of(NodeBlobs blobs) {
        return shard -> blobs.fetch(shard.node(), shard.blob(), shard.crc32c());
    }
}
