package io.hybridstore.erasure;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The coding arithmetic on validated, equally sized segments; {@link ReedSolomon} does the argument checking. Holds
 * the compiled parity rows and a bounded cache of compiled decode matrices, one per erasure pattern, because inverting
 * and compiling a matrix costs far more than decoding a small stripe and degraded reads repeat the same pattern.
 */
final class Codec {

    private static final int DECODE_CACHE_SIZE = 256;

    private final int k;
    private final int m;
    private final GfKernel kernel;
    private final byte[] encoding;
    private final ShardMultiplier parity;
    private final Map<DecodeKey, DecodePlan> decodePlans = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<DecodeKey, DecodePlan> eldest) {
            return size() > DECODE_CACHE_SIZE;
        }
    };

    Codec(int k, int m, GfKernel kernel) {
        this.k = k;
        this.m = m;
        this.kernel = kernel;
        this.encoding = GfMatrix.cauchyEncoding(k, m);
        this.parity = m == 0 ? null : kernel.compile(Arrays.copyOfRange(encoding, k * k, (k + m) * k), m, k);
    }

    GfKernel kernel() {
        return kernel;
    }

    void encode(MemorySegment[] shards, int length) {
        if (m > 0) {
            parity.multiply(Arrays.copyOfRange(shards, 0, k), Arrays.copyOfRange(shards, k, k + m), length);
        }
    }

    boolean verify(MemorySegment[] shards, int length) {
        if (m == 0) {
            return true;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] expected = new MemorySegment[m];
            for (int i = 0; i < m; i++) {
                expected[i] = arena.allocate(length);
            }
            parity.multiply(Arrays.copyOfRange(shards, 0, k), expected, length);
            for (int i = 0; i < m; i++) {
                if (expected[i].mismatch(shards[k + i]) >= 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Rewrites the shards whose {@code present} flag is false: all of them, or only the data shards. */
    void reconstruct(MemorySegment[] shards, boolean[] present, int length, boolean dataOnly) {
        BitSet available = new BitSet(k + m);
        for (int i = 0; i < k + m; i++) {
            if (present[i]) {
                available.set(i);
            }
        }
        if (available.cardinality() < k) {
            throw new TooFewShardsException(k, available.cardinality());
        }
        DecodePlan plan = plan(new DecodeKey(available, dataOnly));
        if (plan.outputs.length == 0) {
            return;
        }
        MemorySegment[] in = new MemorySegment[k];
        for (int i = 0; i < k; i++) {
            in[i] = shards[plan.inputs[i]];
        }
        MemorySegment[] out = new MemorySegment[plan.outputs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = shards[plan.outputs[i]];
        }
        plan.multiplier.multiply(in, out, length);
    }

    private DecodePlan plan(DecodeKey key) {
        synchronized (decodePlans) {
            DecodePlan cached = decodePlans.get(key);
            if (cached != null) {
                return cached;
            }
        }
        DecodePlan plan = newPlan(key);
        synchronized (decodePlans) {
            decodePlans.putIfAbsent(key, plan);
        }
        return plan;
    }

    /**
     * Uses the first k surviving shards (data before parity, so a lost parity shard alone costs no inversion). Their
     * rows of the encoding matrix, inverted, map them back to the data; a lost parity row is its encoding row times
     * that inverse, so all lost shards come out of one multiplication.
     */
    private DecodePlan newPlan(DecodeKey key) {
        int[] inputs = key.available().stream().limit(k).toArray();
        int[] outputs = IntStream.range(0, key.dataOnly() ? k : k + m)
                .filter(i -> !key.available().get(i)).toArray();
        if (outputs.length == 0) {
            return new DecodePlan(inputs, outputs, null);
        }
        byte[] inverse = GfMatrix.invert(GfMatrix.selectRows(encoding, k, inputs), k);
        byte[] rows = new byte[outputs.length * k];
        for (int i = 0; i < outputs.length; i++) {
            byte[] row = outputs[i] < k
                    ? Arrays.copyOfRange(inverse, outputs[i] * k, outputs[i] * k + k)
                    : GfMatrix.multiply(GfMatrix.selectRows(encoding, k, new int[] {outputs[i]}), 1, inverse, k, k);
            System.arraycopy(row, 0, rows, i * k, k);
        }
        return new DecodePlan(inputs, outputs, kernel.compile(rows, outputs.length, k));
    }

    /** The key owns its BitSet: it is built for the lookup and never changed afterwards. */
    private record DecodeKey(BitSet available, boolean dataOnly) {
    }

    private record DecodePlan(int[] inputs, int[] outputs, ShardMultiplier multiplier) {
    }
}
