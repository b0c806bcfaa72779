package io.hybridstore.erasure;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A systematic Reed-Solomon code over GF(2^8) (polynomial 0x11D) with k data and m parity shards, whose parity is
 * byte-for-byte what ISA-L ({@code gf_gen_cauchy1_matrix}) and Hadoop's RS coder compute. Any k of the k + m shards
 * rebuild the rest.
 *
 * <p>Shards are passed as an array of k + m equally sized buffers, data first: {@code byte[]} (whole arrays, or the
 * same offset and length in each), {@code ByteBuffer} (position to limit; positions are left unchanged) or
 * {@code MemorySegment}. Nothing is copied. Instances are immutable and safe to use from many threads at once.
 *
 * <p>No method here detects corruption: {@code reconstruct} trusts every shard marked present and does not verify
 * the result. Check shard checksums first, or call {@link #verify(byte[][])} afterwards.
 */
public final class ReedSolomon {

    public static final int MAX_TOTAL_SHARDS = 256;

    /** Coders are immutable and their decode caches are worth sharing, so one per shape and backend serves all. */
    private static final ConcurrentMap<Shape, ReedSolomon> INSTANCES = new ConcurrentHashMap<>();

    private final int k;
    private final int m;
    private final Backend backend;
    private final Codec codec;

    private ReedSolomon(Shape shape) {
        this.k = shape.k();
        this.m = shape.m();
        this.backend = shape.backend();
        this.codec = new Codec(k, m, Backends.kernel(backend));
    }

    /**
     * The coder for k data and m parity shards on the {@linkplain Backend#preferred() preferred backend}; repeated
     * calls return the same instance.
     *
     * @throws IllegalArgumentException unless k >= 1, m >= 0 and k + m <= 256
     * @throws CodecSelfTestException if the backend fails its known-answer test
     */
    public static ReedSolomon create(int dataShards, int parityShards) {
        return create(dataShards, parityShards, Backend.preferred());
    }

    /**
     * As {@link #create(int, int)} on a given backend, for tests and benchmarks.
     *
     * @throws BackendUnavailableException if that backend cannot run here
     */
    public static ReedSolomon create(int dataShards, int parityShards, Backend backend) {
        if (dataShards < 1 || parityShards < 0 || dataShards + parityShards > MAX_TOTAL_SHARDS) {
            throw new IllegalArgumentException("invalid shape RS(" + dataShards + "," + parityShards
                    + "): need k >= 1, m >= 0, k + m <= " + MAX_TOTAL_SHARDS);
        }
        Backends.kernel(backend);
        return INSTANCES.computeIfAbsent(new Shape(dataShards, parityShards, backend), ReedSolomon::new);
    }

    public int dataShards() {
        return k;
    }

    public int parityShards() {
        return m;
    }

    public int totalShards() {
        return k + m;
    }

    public Backend backend() {
        return backend;
    }

    /**
     * Blocks until this coder runs its fastest code: the vector backend serves calls on the scalar path for the
     * first seconds after start-up, until the JIT has compiled its loops. For readiness probes and benchmarks;
     * coding is correct either way.
     *
     * @return false if still warming up after {@code timeout}
     */
    public boolean awaitCompiled(Duration timeout) throws InterruptedException {
        return !(codec.kernel() instanceof WarmingVectorKernel warming) || warming.awaitWarmUp(timeout);
    }

    /** Computes the m parity shards from the k data shards, overwriting whatever the parity shards held. */
    public void encode(byte[][] shards) {
        encode(shards, 0, Shards.sizeOfPresent(shards, k + m));
    }

    /** As {@link #encode(byte[][])} on bytes [offset, offset + length) of every shard. */
    public void encode(byte[][] shards, int offset, int length) {
        encode(Shards.of(shards, k + m, offset, length));
    }

    public void encode(ByteBuffer[] shards) {
        encode(Shards.of(shards, k + m));
    }

    public void encode(MemorySegment[] shards) {
        MemorySegment[] segments = Shards.of(shards, k + m);
        Shards.checkWritable(segments, k, k + m, null);
        codec.encode(segments, (int) segments[0].byteSize());
    }

    /** Whether the parity shards match the data shards. Finds inconsistency, not which shard is wrong. */
    public boolean verify(byte[][] shards) {
        return verify(shards, 0, Shards.sizeOfPresent(shards, k + m));
    }

    public boolean verify(byte[][] shards, int offset, int length) {
        return verify(Shards.of(shards, k + m, offset, length));
    }

    public boolean verify(ByteBuffer[] shards) {
        return verify(Shards.of(shards, k + m));
    }

    public boolean verify(MemorySegment[] shards) {
        MemorySegment[] segments = Shards.of(shards, k + m);
        return codec.verify(segments, (int) segments[0].byteSize());
    }

    /**
     * Rebuilds every missing shard, data and parity; {@code null} entries are missing and are replaced by new arrays.
     * Does not verify: a corrupt present shard yields wrong output silently.
     *
     * @throws TooFewShardsException if fewer than k shards are present
     * @throws ShardSizeMismatchException if the present shards differ in length
     */
    public void reconstruct(byte[][] shards) {
        reconstructMissing(shards, false);
    }

    /** As {@link #reconstruct(byte[][])}, but rebuilds only missing data shards; missing parity stays {@code null}. */
    public void reconstructData(byte[][] shards) {
        reconstructMissing(shards, true);
    }

    /**
     * Rebuilds, in place, bytes [offset, offset + length) of every shard whose {@code present} flag is false; those
     * arrays must exist and are overwritten. Does not verify the result.
     *
     * @throws TooFewShardsException if fewer than k shards are present
     */
    public void reconstruct(byte[][] shards, boolean[] present, int offset, int length) {
        rebuild(Shards.of(shards, k + m, offset, length), present, false);
    }

    /** As {@link #reconstruct(byte[][], boolean[], int, int)} for the data shards only; parity is left untouched. */
    public void reconstructData(byte[][] shards, boolean[] present, int offset, int length) {
        rebuild(Shards.of(shards, k + m, offset, length), present, true);
    }

    /** Rebuilds, in place, the buffers whose {@code present} flag is false. Does not verify the result. */
    public void reconstruct(ByteBuffer[] shards, boolean[] present) {
        rebuild(Shards.of(shards, k + m), present, false);
    }

    public void reconstructData(ByteBuffer[] shards, boolean[] present) {
        rebuild(Shards.of(shards, k + m), present, true);
    }

    /** Rebuilds, in place, the segments whose {@code present} flag is false. Does not verify the result. */
    public void reconstruct(MemorySegment[] shards, boolean[] present) {
        rebuild(Shards.of(shards, k + m), present, false);
    }

    public void reconstructData(MemorySegment[] shards, boolean[] present) {
        rebuild(Shards.of(shards, k + m), present, true);
    }

    /** Bytes per shard for an object of {@code dataLength} bytes: the length divided by k, rounded up. */
    public int shardSize(int dataLength) {
        return (int) (((long) dataLength + k - 1) / k);
    }

    /**
     * Copies {@code data} into k new data shards of {@link #shardSize(int)} bytes, zero-padding the last, and
     * allocates m parity shards for {@link #encode(byte[][])} to fill.
     */
    public Stripe split(byte[] data) {
        return split(data, 0, data.length);
    }

    public Stripe split(byte[] data, int offset, int length) {
        return Striping.split(data, offset, length, k, m, shardSize(length));
    }

    /** The original bytes of a stripe whose data shards are all present (call {@link #reconstructData} first). */
    public byte[] join(Stripe stripe) {
        return join(stripe.shards(), stripe.dataLength());
    }

    public byte[] join(byte[][] shards, int dataLength) {
        return Striping.join(shards, k, dataLength);
    }

    /** Writes the original bytes to {@code out}, shard by shard, without assembling them in memory. */
    public void join(byte[][] shards, int dataLength, OutputStream out) throws IOException {
        Striping.joinTo(shards, k, dataLength, out);
    }

    private void reconstructMissing(byte[][] shards, boolean dataOnly) {
        int size = Shards.sizeOfPresent(shards, k + m);
        boolean[] present = new boolean[k + m];
        int count = 0;
        for (int i = 0; i < k + m; i++) {
            present[i] = shards[i] != null;
            count += present[i] ? 1 : 0;
        }
        if (count < k) {
            throw new TooFewShardsException(k, count);
        }
        for (int i = 0; i < (dataOnly ? k : k + m); i++) {
            if (shards[i] == null) {
                shards[i] = new byte[size];
            }
        }
        MemorySegment[] segments = new MemorySegment[k + m];
        for (int i = 0; i < k + m; i++) {
            // Missing parity is neither read nor written when only data is rebuilt.
            segments[i] = shards[i] != null ? MemorySegment.ofArray(shards[i]) : MemorySegment.NULL;
        }
        codec.reconstruct(segments, present, size, dataOnly);
    }

    private void rebuild(MemorySegment[] segments, boolean[] present, boolean dataOnly) {
        Shards.checkPresent(present, k + m);
        Shards.checkWritable(segments, 0, dataOnly ? k : k + m, present);
        codec.reconstruct(segments, present, (int) segments[0].byteSize(), dataOnly);
    }

    private record Shape(int k, int m, Backend backend) {
    }
}
