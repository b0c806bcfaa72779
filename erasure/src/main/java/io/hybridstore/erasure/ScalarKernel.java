package io.hybridstore.erasure;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Table lookups, one output row at a time. Runs everywhere; also finishes the tails the vector kernel leaves. On
 * segments, words of eight bytes are read and written at once because per-byte segment accesses cost more than the
 * lookups.
 */
final class ScalarKernel implements GfKernel {

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    @Override
    public ShardMultiplier compile(byte[] matrix, int rows, int cols) {
        byte[] coefficients = matrix.clone();
        return (inputs, outputs, length) -> multiply(coefficients, rows, cols, inputs, outputs, 0, length);
    }

    @Override
    public String description() {
        return "scalar Java";
    }

    /** Computes bytes [from, to) of every output. */
    static void multiply(byte[] matrix, int rows, int cols, MemorySegment[] inputs, MemorySegment[] outputs,
                         long from, long to) {
        if (allHeapArrays(inputs) && allHeapArrays(outputs)) {
            multiplyArrays(matrix, rows, cols, inputs, outputs, (int) from, (int) to);
        } else {
            multiplySegments(matrix, rows, cols, inputs, outputs, from, to);
        }
    }

    /**
     * Plain array loops for heap shards: they run tens of times faster than segment accesses until the JIT has
     * compiled them, which matters because this kernel also covers the vector kernel's warm-up.
     */
    private static void multiplyArrays(byte[] matrix, int rows, int cols, MemorySegment[] inputs,
                                       MemorySegment[] outputs, int from, int to) {
        byte[] products = Gf256.products();
        for (int r = 0; r < rows; r++) {
            byte[] out = (byte[]) outputs[r].heapBase().orElseThrow();
            int outBase = (int) outputs[r].address();
            for (int c = 0; c < cols; c++) {
                int base = (matrix[r * cols + c] & 0xFF) << 8;
                byte[] in = (byte[]) inputs[c].heapBase().orElseThrow();
                int inBase = (int) inputs[c].address();
                if (c == 0) {
                    for (int p = from; p < to; p++) {
                        out[outBase + p] = products[base | in[inBase + p] & 0xFF];
                    }
                } else {
                    for (int p = from; p < to; p++) {
                        out[outBase + p] ^= products[base | in[inBase + p] & 0xFF];
                    }
                }
            }
        }
    }

    private static void multiplySegments(byte[] matrix, int rows, int cols, MemorySegment[] inputs,
                                         MemorySegment[] outputs, long from, long to) {
        byte[] products = Gf256.products();
        for (int r = 0; r < rows; r++) {
            MemorySegment out = outputs[r];
            for (int c = 0; c < cols; c++) {
                int base = (matrix[r * cols + c] & 0xFF) << 8;
                MemorySegment in = inputs[c];
                boolean first = c == 0;
                long p = from;
                for (; p + Long.BYTES <= to; p += Long.BYTES) {
                    long word = in.get(WORD, p);
                    long product = 0;
                    for (int shift = 0; shift < Long.SIZE; shift += Byte.SIZE) {
                        product |= (products[base | (int) (word >>> shift) & 0xFF] & 0xFFL) << shift;
                    }
                    out.set(WORD, p, first ? product : product ^ out.get(WORD, p));
                }
                for (; p < to; p++) {
                    byte product = products[base | in.get(ValueLayout.JAVA_BYTE, p) & 0xFF];
                    out.set(ValueLayout.JAVA_BYTE, p, first ? product : (byte) (product ^ out.get(ValueLayout.JAVA_BYTE, p)));
                }
            }
        }
    }

    /** Writable heap segments over {@code byte[]}: only those expose their array, at offset {@code address()}. */
    private static boolean allHeapArrays(MemorySegment[] segments) {
        for (MemorySegment segment : segments) {
            if (!(segment.heapBase().orElse(null) instanceof byte[])) {
                return false;
            }
        }
        return true;
    }
}
