package io.hybridstore.erasure;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Shared helpers: which backends this JVM can test, and random stripes. */
final class TestShards {

    private TestShards() {
    }

    static List<Backend> availableBackends() {
        return Arrays.stream(Backend.values()).filter(Backend::isAvailable).toList();
    }

    static byte[][] randomStripe(Random random, int k, int m, int size) {
        byte[][] shards = new byte[k + m][size];
        for (int i = 0; i < k; i++) {
            random.nextBytes(shards[i]);
        }
        return shards;
    }

    static byte[][] deepCopy(byte[][] shards) {
        return Arrays.stream(shards).map(s -> s == null ? null : s.clone()).toArray(byte[][]::new);
    }
}
