package io.hybridstore.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way of losing up to m shards, for the shapes the store uses most, on every backend. */
class ErasurePatternsTest {

    /** Long enough for whole vectors plus a tail, and above ISA-L's minimum length. */
    private static final int SIZE = 1000;

    static Stream<Arguments> shapesOnEveryBackend() {
        return TestShards.availableBackends().stream()
                .flatMap(backend -> Stream.of(Arguments.of(backend, 4, 2), Arguments.of(backend, 6, 3)));
    }

    @ParameterizedTest(name = "{0}: RS({1},{2})")
    @MethodSource("shapesOnEveryBackend")
    void reconstructRebuildsEveryPatternOfUpToMLostShards(Backend backend, int k, int m) {
        ReedSolomon rs = ReedSolomon.create(k, m, backend);
        byte[][] original = TestShards.randomStripe(new Random(k * 31 + m), k, m, SIZE);
        rs.encode(original);
        for (int lost = 1; lost < 1 << (k + m); lost++) {
            if (Integer.bitCount(lost) > m) {
                continue;
            }
            byte[][] full = lose(original, lost);
            rs.reconstruct(full);
            assertThat(full).as("lost mask %s", Integer.toBinaryString(lost)).isDeepEqualTo(original);

            byte[][] dataOnly = lose(original, lost);
            rs.reconstructData(dataOnly);
            for (int i = 0; i < k + m; i++) {
                assertThat(dataOnly[i]).isEqualTo(i < k || (lost & 1 << i) == 0 ? original[i] : null);
            }
        }
    }

    @ParameterizedTest(name = "{0}: RS({1},{2})")
    @MethodSource("shapesOnEveryBackend")
    void reconstructInPlaceWorksOnOffsetsDirectBuffersAndNativeSegments(Backend backend, int k, int m) {
        ReedSolomon rs = ReedSolomon.create(k, m, backend);
        byte[][] original = TestShards.randomStripe(new Random(k), k, m, SIZE);
        rs.encode(original);
        for (int lost = 1; lost < 1 << (k + m); lost++) {
            if (Integer.bitCount(lost) > m) {
                continue;
            }
            boolean[] present = new boolean[k + m];
            for (int i = 0; i < k + m; i++) {
                present[i] = (lost & 1 << i) == 0;
            }
            byte[][] padded = new byte[k + m][SIZE + 10];
            for (int i = 0; i < k + m; i++) {
                if (present[i]) {
                    System.arraycopy(original[i], 0, padded[i], 3, SIZE);
                }
            }
            rs.reconstruct(padded, present, 3, SIZE);
            ByteBuffer[] buffers = new ByteBuffer[k + m];
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment[] segments = new MemorySegment[k + m];
                for (int i = 0; i < k + m; i++) {
                    buffers[i] = ByteBuffer.allocateDirect(SIZE);
                    segments[i] = arena.allocate(SIZE);
                    if (present[i]) {
                        buffers[i].put(original[i]).flip();
                        segments[i].copyFrom(MemorySegment.ofArray(original[i]));
                    }
                }
                rs.reconstruct(buffers, present);
                rs.reconstruct(segments, present);
                for (int i = 0; i < k + m; i++) {
                    assertThat(Arrays.copyOfRange(padded[i], 3, 3 + SIZE)).isEqualTo(original[i]);
                    byte[] fromBuffer = new byte[SIZE];
                    buffers[i].get(0, fromBuffer);
                    assertThat(fromBuffer).isEqualTo(original[i]);
                    assertThat(segments[i].toArray(ValueLayout.JAVA_BYTE)).isEqualTo(original[i]);
                }
            }
        }
    }

    private static byte[][] lose(byte[][] original, int lost) {
        byte[][] copy = TestShards.deepCopy(original);
        for (int i = 0; i < copy.length; i++) {
            if ((lost & 1 << i) != 0) {
                copy[i] = null;
            }
        }
        return copy;
    }
}
