package io.hybridstore.erasure;

import java.util.Objects;

/**
 * An object cut into k data shards of equal size plus m parity shards, with the object's length, which the zero
 * padding of the last data shard would otherwise hide. The arrays are shared, not copied: encoding fills the parity.
 */
public record Stripe(byte[][] shards, int dataLength) {

    public Stripe {
        Objects.requireNonNull(shards, "shards");
        if (dataLength < 0) {
            throw new IllegalArgumentException("negative data length " + dataLength);
        }
    }

    public int shardSize() {
        return shards.length == 0 || shards[0] == null ? 0 : shards[0].length;
    }
}
