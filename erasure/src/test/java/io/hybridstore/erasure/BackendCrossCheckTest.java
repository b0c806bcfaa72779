package io.hybridstore.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
            for (GfKernel kernel : kernels()) {
                ShardMultiplier multiplier = kernel.compile(matrix, rows, cols);
                for (boolean nativeMemory : new boolean[] {false, true}) {
                    assertThat(run(multiplier, inputs, offset, length, rows, nativeMemory))
                            .as("%s, %dx%d, %d bytes at %d, native %s", kernel.description(), rows, cols, length, offset,
                                    nativeMemory)
                            .isDeepEqualTo(expected);
                }
            }
        }
    }

    @Test
    void vectorBackendSwitchesToTheVectorLoopsOnceCompiledAndStillAgrees() throws InterruptedException {
        assumeTrue(Backend.VECTOR.isAvailable());
        WarmingVectorKernel kernel = (WarmingVectorKernel) Backends.kernel(Backend.VECTOR);
        assertThat(kernel.awaitWarmUp(Duration.ofSeconds(120))).isTrue();
        assertThat(kernel.usesVectorLoops()).isTrue();
        byte[] matrix = GfMatrix.cauchyEncoding(10, 4);
        byte[] parity = Arrays.copyOfRange(matrix, 100, 140);
        byte[][] inputs = TestShards.randomStripe(new Random(3), 10, 0, 100_003);
        assertThat(run(kernel.compile(parity, 4, 10), inputs, 0, 100_003, 4, false))
                .isDeepEqualTo(run(new ScalarKernel().compile(parity, 4, 10), inputs, 0, 100_003, 4, false));
    }

    /** The vector loops directly as well as behind the warm-up switch, which may still be on the scalar path. */
    private static List<GfKernel> kernels() {
        List<GfKernel> kernels = new ArrayList<>();
        for (Backend backend : TestShards.availableBackends()) {
            kernels.add(Backends.kernel(backend));
            if (backend == Backend.VECTOR) {
                kernels.add(new VectorKernel());
            }
        }
        return kernels;
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
