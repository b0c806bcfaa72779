package io.hybridstore.erasure;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/** Cutting an object into data shards and gluing it back together; no coding happens here. */
final class Striping {

    private Striping() {
    }

    static Stripe split(byte[] data, int offset, int length, int k, int m, int shardSize) {
        Objects.checkFromIndexSize(offset, length, data.length);
        byte[][] shards = new byte[k + m][shardSize];
        for (int i = 0, position = 0; i < k && position < length; i++, position += shardSize) {
            System.arraycopy(data, offset + position, shards[i], 0, Math.min(shardSize, length - position));
        }
        return new Stripe(shards, length);
    }

    static byte[] join(byte[][] shards, int k, int dataLength) {
        int shardSize = check(shards, k, dataLength);
        byte[] data = new byte[dataLength];
        for (int i = 0, position = 0; position < dataLength; i++, position += shardSize) {
            System.arraycopy(shards[i], 0, data, position, Math.min(shardSize, dataLength - position));
        }
        return data;
    }

    static void joinTo(byte[][] shards, int k, int dataLength, OutputStream out) throws IOException {
        int shardSize = check(shards, k, dataLength);
        for (int i = 0, position = 0; position < dataLength; i++, position += shardSize) {
            out.write(shards[i], 0, Math.min(shardSize, dataLength - position));
        }
    }

    private static int check(byte[][] shards, int k, int dataLength) {
        if (shards.length < k) {
            throw new IllegalArgumentException("expected at least " + k + " shards, got " + shards.length);
        }
        if (dataLength < 0) {
            throw new IllegalArgumentException("negative data length " + dataLength);
        }
        for (int i = 0; i < k; i++) {
            if (shards[i] == null) {
                throw new IllegalArgumentException("data shard " + i + " is missing; call reconstructData first");
            }
            if (shards[i].length != shards[0].length) {
                throw new ShardSizeMismatchException(i, shards[0].length, shards[i].length);
            }
        }
        if ((long) shards[0].length * k < dataLength) {
            throw new IllegalArgumentException(k + " shards of " + shards[0].length + " bytes cannot hold "
                    + dataLength + " bytes");
        }
        return shards[0].length;
    }
}
