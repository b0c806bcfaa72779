package io.hybridstore.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrentUseTest {

    @Test
    void oneCoderServesManyThreadsAtOnce() throws Exception {
        for (Backend backend : TestShards.availableBackends()) {
            ReedSolomon rs = ReedSolomon.create(6, 3, backend);
            List<Future<Boolean>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                for (int task = 0; task < 64; task++) {
                    long seed = task;
                    results.add(pool.submit(() -> roundTrip(rs, seed)));
                }
                for (Future<Boolean> result : results) {
                    assertThat(result.get()).as("%s", backend).isTrue();
                }
            }
        }
    }

    /** Each task loses a different pair of shards, so the decode cache is hit and filled concurrently. */
    private static boolean roundTrip(ReedSolomon rs, long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 20; round++) {
            byte[][] shards = TestShards.randomStripe(random, 6, 3, 1 + random.nextInt(5000));
            rs.encode(shards);
            byte[][] damaged = TestShards.deepCopy(shards);
            random.ints(0, 9).distinct().limit(2).forEach(i -> damaged[i] = null);
            rs.reconstruct(damaged);
            for (int i = 0; i < 9; i++) {
                if (!Arrays.equals(damaged[i], shards[i]) || !rs.verify(damaged)) {
                    return false;
                }
            }
        }
        return true;
    }
}
