package io.hybridstore.erasure;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Split-nibble multiplication as ISA-L and klauspost do it in assembly: c * b = lo[b & 15] ^ hi[b >>> 4], where the
 * two 16-entry tables sit in vector registers and one byte shuffle looks up a whole vector of nibbles. Each pass reads
 * every input vector once and feeds up to four output rows from it, so the input is streamed m/4 times, not m times.
 *
 * <p>Tables live in one {@code byte[]} and are loaded with {@code fromArray} inside the loop: an L1 load is cheap,
 * whereas {@code ByteVector} objects kept in an array would be boxed and defeat register allocation. Every 16-byte lane
 * of a table vector holds the same table, so the lookup is right whether the shuffle is lane-local (PSHUFB) or spans
 * the whole vector (VPERMB).
 */
final class VectorKernel implements GfKernel {

    static final VectorSpecies<Byte> SPECIES = chooseSpecies();
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int TABLE = 2 * LANES;

    @Override
    public ShardMultiplier compile(byte[] matrix, int rows, int cols) {
        byte[] coefficients = matrix.clone();
        byte[] tables = new byte[rows * cols * TABLE];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                int at = tableOffset(rows, r, c);
                Gf256.nibbleTables(coefficients[r * cols + c] & 0xFF, tables, at, at + LANES, LANES / 16);
            }
        }
        return (inputs, outputs, length) -> multiply(coefficients, tables, rows, cols, inputs, outputs, length);
    }

    @Override
    public String description() {
        return "vectorised Java (" + SPECIES.vectorBitSize() + "-bit)";
    }

    /**
     * The widest hardware vector: measured on JDK 25, a 256-bit byte shuffle on AVX2 (two PSHUFB and a blend) still
     * beats 128-bit vectors by 3x, and AVX-512 makes the 512-bit one a single VPERMB. Never below 128 bits, since a
     * table holds 16 entries. The system property {@code hybridstore.erasure.vectorBits} overrides it for benchmarks.
     */
    private static VectorSpecies<Byte> chooseSpecies() {
        String bits = System.getProperty("hybridstore.erasure.vectorBits");
        int width = bits != null ? Integer.parseInt(bits) : Math.max(128, ByteVector.SPECIES_PREFERRED.vectorBitSize());
        return VectorSpecies.of(byte.class, VectorShape.forBitSize(width));
    }

    /** Tables of one input column are adjacent so a pass over a row group walks them in order. */
    private static int tableOffset(int rows, int r, int c) {
        return (c * rows + r) * TABLE;
    }

    private static void multiply(byte[] matrix, byte[] tables, int rows, int cols, MemorySegment[] inputs,
                                 MemorySegment[] outputs, int length) {
        int bound = length - length % LANES;
        int r = 0;
        while (r < rows) {
            int left = rows - r;
            if (left >= 4) {
                rows4(tables, rows, cols, r, inputs, outputs, bound);
                r += 4;
            } else if (left >= 2) {
                rows2(tables, rows, cols, r, inputs, outputs, bound);
                r += 2;
            } else {
                rows1(tables, rows, cols, r, inputs, outputs[r], bound);
                r += 1;
            }
        }
        if (bound < length) {
            ScalarKernel.multiply(matrix, rows, cols, inputs, outputs, bound, length);
        }
    }

    private static ByteVector lowNibbles(ByteVector v) {
        return v.and((byte) 0x0F);
    }

    /** A 16-bit shift then a mask: x86 has no byte shift, and the bits crossing from the neighbour are masked off. */
    private static ByteVector highNibbles(ByteVector v) {
        return v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
    }

    private static ByteVector product(byte[] tables, int at, ByteVector lo, ByteVector hi) {
        return lo.selectFrom(ByteVector.fromArray(SPECIES, tables, at))
                .lanewise(VectorOperators.XOR, hi.selectFrom(ByteVector.fromArray(SPECIES, tables, at + LANES)));
    }

    private static void rows4(byte[] tables, int rows, int cols, int r, MemorySegment[] inputs,
                              MemorySegment[] outputs, int bound) {
        MemorySegment o0 = outputs[r];
        MemorySegment o1 = outputs[r + 1];
        MemorySegment o2 = outputs[r + 2];
        MemorySegment o3 = outputs[r + 3];
        int columnStride = rows * TABLE;
        for (long p = 0; p < bound; p += LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            ByteVector a1 = a0;
            ByteVector a2 = a0;
            ByteVector a3 = a0;
            int at = tableOffset(rows, r, 0);
            for (int c = 0; c < cols; c++, at += columnStride) {
                ByteVector in = ByteVector.fromMemorySegment(SPECIES, inputs[c], p, ORDER);
                ByteVector lo = lowNibbles(in);
                ByteVector hi = highNibbles(in);
                a0 = a0.lanewise(VectorOperators.XOR, product(tables, at, lo, hi));
                a1 = a1.lanewise(VectorOperators.XOR, product(tables, at + TABLE, lo, hi));
                a2 = a2.lanewise(VectorOperators.XOR, product(tables, at + 2 * TABLE, lo, hi));
                a3 = a3.lanewise(VectorOperators.XOR, product(tables, at + 3 * TABLE, lo, hi));
            }
            a0.intoMemorySegment(o0, p, ORDER);
            a1.intoMemorySegment(o1, p, ORDER);
            a2.intoMemorySegment(o2, p, ORDER);
            a3.intoMemorySegment(o3, p, ORDER);
        }
    }

    private static void rows2(byte[] tables, int rows, int cols, int r, MemorySegment[] inputs,
                              MemorySegment[] outputs, int bound) {
        MemorySegment o0 = outputs[r];
        MemorySegment o1 = outputs[r + 1];
        int columnStride = rows * TABLE;
        for (long p = 0; p < bound; p += LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            ByteVector a1 = a0;
            int at = tableOffset(rows, r, 0);
            for (int c = 0; c < cols; c++, at += columnStride) {
                ByteVector in = ByteVector.fromMemorySegment(SPECIES, inputs[c], p, ORDER);
                ByteVector lo = lowNibbles(in);
                ByteVector hi = highNibbles(in);
                a0 = a0.lanewise(VectorOperators.XOR, product(tables, at, lo, hi));
                a1 = a1.lanewise(VectorOperators.XOR, product(tables, at + TABLE, lo, hi));
            }
            a0.intoMemorySegment(o0, p, ORDER);
            a1.intoMemorySegment(o1, p, ORDER);
        }
    }

    private static void rows1(byte[] tables, int rows, int cols, int r, MemorySegment[] inputs,
                              MemorySegment out, int bound) {
        int columnStride = rows * TABLE;
        for (long p = 0; p < bound; p += LANES) {
            ByteVector a0 = ByteVector.zero(SPECIES);
            int at = tableOffset(rows, r, 0);
            for (int c = 0; c < cols; c++, at += columnStride) {
                ByteVector in = ByteVector.fromMemorySegment(SPECIES, inputs[c], p, ORDER);
                a0 = a0.lanewise(VectorOperators.XOR, product(tables, at, lowNibbles(in), highNibbles(in)));
            }
            a0.intoMemorySegment(out, p, ORDER);
        }
    }
}
