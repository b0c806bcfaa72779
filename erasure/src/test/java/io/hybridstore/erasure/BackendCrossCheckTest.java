package io.hybridstore.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Scalar, vector and native paths must agree on random matrices, shapes, lengths, alignments and memory kinds. */
class BackendCrossCheckTest {

    @Test
    void allBackendsComputeIdenticalBytesOnRandomInputs() {
        Random random = new Random(42);
        GfKernel scalar = Backends.kernel(Backend.SCALAR);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + random.nextInt(7);
            int cols = 1 + random.nextInt(12);
            int length = random.nextInt(4) == 0 ? random.nextInt(200) : random.nextInt(40_000);
            int offset = random.nextInt(17);
            byte[] matrix = new byte[rows * cols];
            random.nextBytes(matrix);
            byte[][] inputs = new byte[cols][offset + length];
            for (byte[] input : inputs) {
                random.nextBytes(input);
            }
            byte[][] expected = run(scalar.compile(matrix, rows, cols), inputs, offset, length, rows, false);
            for (Backend backend : TestShards.availableBackends()) {
                ShardMultiplier multiplier = Backends.kernel(backend).compile(matrix, rows, cols);
                for (boolean nativeMemory : new boolean[] {false, true}) {
                    assertThat(run(multiplier, inputs, offset, length, rows, nativeMemory))
                            .as("%s, %dx%d, %d bytes at %d, native %s", backend, rows, cols, length, offset,
                                    nativeMemory)
                            .isDeepEqualTo(expected);
                }
            }
        }
    }

    private static byte[][] run(ShardMultiplier multiplier, byte[][] inputs, int offset, int length, int rows,
                                boolean nativeMemory) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] in = new MemorySegment[inputs.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = nativeMemory ? arena.allocateFrom(ValueLayout.JAVA_BYTE, inputs[i]).asSlice(offset)
                        : MemorySegment.ofArray(inputs[i]).asSlice(offset);
            }
            MemorySegment[] out = new MemorySegment[rows];
            for (int r = 0; r < rows; r++) {
                out[r] = nativeMemory ? arena.allocate(length + 5L).asSlice(5)
                        : MemorySegment.ofArray(new byte[length + 5]).asSlice(5);
                out[r].fill((byte) 0x5A);
            }
            multiplier.multiply(in, out, length);
            byte[][] result = new byte[rows][];
            for (int r = 0; r < rows; r++) {
                result[r] = out[r].toArray(ValueLayout.JAVA_BYTE);
            }
            return result;
        }
    }
}
