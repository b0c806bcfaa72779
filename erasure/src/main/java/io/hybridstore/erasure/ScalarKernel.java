package io.hybridstore.erasure;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Table lookups, one output row at a time. Runs everywhere; also finishes the tails the vector kernel leaves. Words of
 * eight bytes are read and written at once because per-byte segment accesses cost more than the lookups.
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
}
