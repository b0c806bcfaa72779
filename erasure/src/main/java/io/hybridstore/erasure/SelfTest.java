package io.hybridstore.erasure;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

/**
 * Known answers every backend must reproduce before it is used: RS(4,2) parity from the known-answer vector file
 * (the same bytes ISA-L writes), at 64 bytes (whole vectors) and 7 bytes (tails only), in heap and native memory, followed by
 * a rebuild of one lost data and one lost parity shard.
 */
final class SelfTest {

    private static final int K = 4;
    private static final int M = 2;
    private static final String[] PARITY_7 = {"6fbb83415c9694", "22ad93eb090ff3"};
    private static final String[] PARITY_64 = {
        "5645e7d1ee2d250770172a1897fec3d4299429b48fe884632d8dae1a66767a8c"
                + "aa995890de1e8faf78578a9066d23f69d759d7a9bdb4be5b466c9c30df930de1",
        "db9dcd2f0550a98886c2ef64e36e9e853b2ecdae2bc7d4d125aa3d5e338b2973"
                + "fd60f278411609416297768b3cda404f52b02b0a00f711c36d5d23e936325f9f"};

    private SelfTest() {
    }

    /** Throws {@link CodecSelfTestException} naming the kernel and the case that produced wrong bytes. */
    static void check(GfKernel kernel) {
        Codec codec = new Codec(K, M, kernel);
        for (boolean nativeMemory : new boolean[] {false, true}) {
            check(codec, 7, PARITY_7, nativeMemory);
            check(codec, 64, PARITY_64, nativeMemory);
        }
    }

    private static void check(Codec codec, int size, String[] parity, boolean nativeMemory) {
        String where = codec.kernel().description() + ", RS(4,2), " + size + "-byte shards in "
                + (nativeMemory ? "native" : "heap") + " memory";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] shards = new MemorySegment[K + M];
            byte[][] data = knownData(K, M, size);
            for (int i = 0; i < K + M; i++) {
                shards[i] = nativeMemory ? arena.allocate(size) : MemorySegment.ofArray(new byte[size]);
                if (i < K) {
                    shards[i].copyFrom(MemorySegment.ofArray(data[i]));
                }
            }
            codec.encode(shards, size);
            for (int i = 0; i < M; i++) {
                if (!HexFormat.of().formatHex(shards[K + i].toArray(ValueLayout.JAVA_BYTE))
                        .equals(parity[i])) {
                    throw new CodecSelfTestException("wrong parity shard " + i + " from " + where);
                }
            }
            byte[] lostData = shards[1].toArray(ValueLayout.JAVA_BYTE);
            byte[] lostParity = shards[K].toArray(ValueLayout.JAVA_BYTE);
            shards[1].fill((byte) 0);
            shards[K].fill((byte) 0);
            codec.reconstruct(shards, new boolean[] {true, false, true, true, false, true}, size, false);
            if (shards[1].mismatch(MemorySegment.ofArray(lostData)) >= 0
                    || shards[K].mismatch(MemorySegment.ofArray(lostParity)) >= 0) {
                throw new CodecSelfTestException("wrong reconstruction from " + where);
            }
        }
    }

    /**
     * The data of the known-answer vector file (test resource {@code rs-cauchy-vectors.json}): an LCG seeded with
     * 1000k + m + size, one byte per step from bits 16..23, shard after shard.
     */
    static byte[][] knownData(int k, int m, int size) {
        int x = 1000 * k + m + size;
        byte[][] data = new byte[k][size];
        for (byte[] shard : data) {
            for (int i = 0; i < size; i++) {
                x = x * 1103515245 + 12345;
                shard[i] = (byte) (x >>> 16);
            }
        }
        return data;
    }
}
