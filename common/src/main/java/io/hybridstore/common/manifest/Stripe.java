package io.hybridstore.common.manifest;

import java.util.List;

/**
 * A run of at most one stripe's worth of an erasure-coded part: {@code length} bytes of it, split into k shards of
 * {@code shardSize} bytes (the last shard zero-padded) plus m parity shards.
 */
public record Stripe(long length, int shardSize, List<Shard> shards) {

    public Stripe {
        shards = List.copyOf(shards);
    }
}
