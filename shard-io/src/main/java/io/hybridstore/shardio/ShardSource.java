package io.hybridstore.shardio;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.manifest.Shard;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;

import java.util.Optional;
import java.util.OptionalLong;

/** Where shards come from: their bytes verified against the manifest's CRC32C, or empty when missing or corrupt. */
@FunctionalInterface
public interface ShardSource {

    Optional<byte[]> fetch(Shard shard);

    /** The storage nodes; a node that is unknown, down or answers with an error counts as a missing shard. */
    static ShardSource of(NodeDirectory nodes, StorageNodeClient client) {
        return shard -> nodes.resolve(shard.node()).flatMap(node -> {
            try {
                return client.get(node, new BlobId(shard.blob()), OptionalLong.of(shard.crc32c()));
            } catch (StorageNodeException e) {
                return Optional.empty();
            }
        });
    }
}
