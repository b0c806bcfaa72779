package io.hybridstore.erasure;

/**
 * Arithmetic in GF(2^8) with the polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D) and generator 2, the field ISA-L,
 * Hadoop and klauspost/reedsolomon use; any other polynomial would make our shards unreadable by them.
 */
final class Gf256 {

    static final int POLYNOMIAL = 0x11D;

    /** Doubled so that {@code EXP[log a + log b]} needs no modulo. */
    private static final int[] EXP = new int[510];
    private static final int[] LOG = new int[256];
    /** Full product table, row {@code a} at {@code a << 8}: the scalar kernel's inner loop is one load per byte. */
    private static final byte[] PRODUCTS = new byte[256 * 256];

    static {
        int x = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = x;
            EXP[i + 255] = x;
            LOG[x] = i;
            x <<= 1;
            if (x >= 256) {
                x ^= POLYNOMIAL;
            }
        }
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                PRODUCTS[a << 8 | b] = (byte) slowMul(a, b);
            }
        }
    }

    private Gf256() {
    }

    static int add(int a, int b) {
        return a ^ b;
    }

    static int mul(int a, int b) {
        return PRODUCTS[(a & 0xFF) << 8 | (b & 0xFF)] & 0xFF;
    }

    static int inv(int a) {
        if (a == 0) {
            throw new ArithmeticException("0 has no inverse in GF(256)");
        }
        return EXP[255 - LOG[a]];
    }

    static int div(int a, int b) {
        return mul(a, inv(b));
    }

    /** The products {@code c * x} for all x, as a shared table; callers index it at {@code c << 8 | x}. */
    static byte[] products() {
        return PRODUCTS;
    }

    /**
     * Writes the split-nibble tables for multiplying by {@code c}: {@code lo[x] = c * x} and {@code hi[x] = c * (x << 4)}
     * for x in 0..15, since c * b = lo[b & 15] ^ hi[b >>> 4]. Each 16-byte table is repeated {@code copies} times so a
     * wide vector holds a copy in every 128-bit lane.
     */
    static void nibbleTables(int c, byte[] dst, int loOffset, int hiOffset, int copies) {
        for (int x = 0; x < 16; x++) {
            byte lo = (byte) mul(c, x);
            byte hi = (byte) mul(c, x << 4);
            for (int copy = 0; copy < copies; copy++) {
                dst[loOffset + copy * 16 + x] = lo;
                dst[hiOffset + copy * 16 + x] = hi;
            }
        }
    }

    /** Carry-less multiply and reduce, used only to build the tables so they do not depend on themselves. */
    private static int slowMul(int a, int b) {
        int product = 0;
        while (b != 0) {
            if ((b & 1) != 0) {
                product ^= a;
            }
            a <<= 1;
            if (a >= 256) {
                a ^= POLYNOMIAL;
            }
            b >>>= 1;
        }
        return product;
    }
}
