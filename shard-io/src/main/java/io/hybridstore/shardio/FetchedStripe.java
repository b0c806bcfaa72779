package io.hybridstore.shardio;

import java.util.List;

/**
 * The shards of one stripe that arrived intact, at their index ({@code null} for the others), and the blobs
 * ("node/blob") that were missing or corrupt on the way.
 */
public record FetchedStripe(byte[][] shards, int intact, List<String> badBlobs) {

    public long bytes() {
        long total = 0;
        for (byte[] shard : shards) {
            total += shard == null ? 0 : shard.length;
        }
        return total;
    }
}
