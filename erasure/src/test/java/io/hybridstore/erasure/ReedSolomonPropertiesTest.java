package io.hybridstore.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Random shapes and sizes, including 0, 1, sizes not divisible by k, and the widest code, k + m = 256. */
class ReedSolomonPropertiesTest {

    static Stream<Long> seeds() {
        return IntStream.range(0, 60).mapToObj(i -> 1000L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void splitEncodeLoseReconstructJoinReturnsTheOriginalBytes(long seed) throws IOException {
        Random random = new Random(seed);
        int k = seed % 20 == 0 ? 200 : 1 + random.nextInt(16);
        int m = seed % 20 == 0 ? 56 : random.nextInt(7);
        int length = switch ((int) (seed % 5)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> random.nextInt(64);
            default -> random.nextInt(70_000);
        };
        byte[] object = new byte[length];
        random.nextBytes(object);
        for (Backend backend : TestShards.availableBackends()) {
            ReedSolomon rs = ReedSolomon.create(k, m, backend);
            Stripe stripe = rs.split(object);
            assertThat(stripe.shardSize()).isEqualTo((length + k - 1) / k);
            rs.encode(stripe.shards());
            assertThat(rs.verify(stripe.shards())).isTrue();

            byte[][] damaged = TestShards.deepCopy(stripe.shards());
            random.ints(0, k + m).distinct().limit(m).forEach(i -> damaged[i] = null);
            rs.reconstruct(damaged);
            assertThat(damaged).as("%s RS(%d,%d) %d bytes", backend, k, m, length).isDeepEqualTo(stripe.shards());
            assertThat(rs.join(new Stripe(damaged, length))).isEqualTo(object);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            rs.join(damaged, length, out);
            assertThat(out.toByteArray()).isEqualTo(object);

            if (m > 0 && stripe.shardSize() > 0) {
                int shard = random.nextInt(k + m);
                stripe.shards()[shard][random.nextInt(stripe.shardSize())] ^= (byte) (1 + random.nextInt(255));
                assertThat(rs.verify(stripe.shards())).isFalse();
            }
        }
    }
}
