package io.hybridstore.benchmark.erasure;

import io.hybridstore.erasure.Backend;
import io.hybridstore.erasure.ReedSolomon;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Single-threaded codec throughput: encode, and rebuild of the first two data shards, per implementation. Scores are
 * operations per second; one operation covers k x shard size bytes of data, which {@code run-codec-bench.sh} turns
 * into MB/s. Backblaze's coder writes different parity (Vandermonde-derived matrix), so it is a speed baseline only;
 * {@code arraycopy} copies the same data bytes once, the ceiling for anything that must touch them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ReedSolomonBenchmark {

    @Param({"4x2", "10x4"})
    public String shape;

    @Param({"4KiB", "64KiB", "1MiB"})
    public String shardSize;

    @Param({"vector", "scalar", "native", "native-offheap", "backblaze", "arraycopy"})
    public String coder;

    private Codec codec;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        String[] km = shape.split("x");
        int k = Integer.parseInt(km[0]);
        int m = Integer.parseInt(km[1]);
        int size = switch (shardSize) {
            case "4KiB" -> 4 << 10;
            case "64KiB" -> 64 << 10;
            case "1MiB" -> 1 << 20;
            default -> throw new IllegalArgumentException(shardSize);
        };
        byte[][] shards = new byte[k + m][size];
        Random random = new Random(1);
        for (int i = 0; i < k; i++) {
            random.nextBytes(shards[i]);
        }
        codec = switch (coder) {
            case "vector" -> new Ours(compiled(ReedSolomon.create(k, m, Backend.VECTOR)), shards);
            case "scalar" -> new Ours(ReedSolomon.create(k, m, Backend.SCALAR), shards);
            case "native" -> new Ours(ReedSolomon.create(k, m, Backend.NATIVE), shards);
            case "native-offheap" -> new OursOffHeap(ReedSolomon.create(k, m, Backend.NATIVE), shards);
            case "backblaze" -> new Backblaze(com.backblaze.erasure.ReedSolomon.create(k, m), shards);
            case "arraycopy" -> new Copy(Arrays.copyOfRange(shards, 0, k), new byte[k][size]);
            default -> throw new IllegalArgumentException(coder);
        };
        codec.encode();
    }

    /** Steady state only: on a busy machine the vector loops' JIT warm-up outlasts JMH's warm-up iterations. */
    private static ReedSolomon compiled(ReedSolomon rs) throws InterruptedException {
        if (!rs.awaitCompiled(Duration.ofMinutes(5))) {
            throw new IllegalStateException("vector kernel still not compiled");
        }
        return rs;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        codec.close();
    }

    @Benchmark
    public void encode() {
        codec.encode();
    }

    @Benchmark
    public void reconstruct2() {
        codec.reconstructTwoDataShards();
    }

    private interface Codec extends AutoCloseable {
        void encode();

        void reconstructTwoDataShards();

        @Override
        default void close() {
        }
    }

    private static boolean[] firstTwoLost(int total) {
        boolean[] present = new boolean[total];
        Arrays.fill(present, 2, total, true);
        return present;
    }

    private record Ours(ReedSolomon rs, byte[][] shards, boolean[] present) implements Codec {
        Ours(ReedSolomon rs, byte[][] shards) {
            this(rs, shards, firstTwoLost(shards.length));
        }

        @Override
        public void encode() {
            rs.encode(shards);
        }

        @Override
        public void reconstructTwoDataShards() {
            rs.reconstructData(shards, present, 0, shards[0].length);
        }
    }

    /** Shards in native memory, where ISA-L is handed the buffers directly instead of one input at a time. */
    private record OursOffHeap(ReedSolomon rs, Arena arena, MemorySegment[] shards, boolean[] present) implements Codec {
        OursOffHeap(ReedSolomon rs, byte[][] heap) {
            this(rs, Arena.ofShared(), new MemorySegment[heap.length], firstTwoLost(heap.length));
            for (int i = 0; i < heap.length; i++) {
                shards[i] = arena.allocate(heap[i].length, 64);
                shards[i].copyFrom(MemorySegment.ofArray(heap[i]));
            }
        }

        @Override
        public void encode() {
            rs.encode(shards);
        }

        @Override
        public void reconstructTwoDataShards() {
            rs.reconstructData(shards, present);
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    private record Backblaze(com.backblaze.erasure.ReedSolomon rs, byte[][] shards, boolean[] present)
            implements Codec {
        Backblaze(com.backblaze.erasure.ReedSolomon rs, byte[][] shards) {
            this(rs, shards, firstTwoLost(shards.length));
        }

        @Override
        public void encode() {
            rs.encodeParity(shards, 0, shards[0].length);
        }

        @Override
        public void reconstructTwoDataShards() {
            rs.decodeMissing(shards, present, 0, shards[0].length);
        }
    }

    /** Copies the k data shards once, as any coder must at least read them; "reconstruct" copies the same bytes. */
    private record Copy(byte[][] data, byte[][] copies) implements Codec {
        @Override
        public void encode() {
            for (int i = 0; i < data.length; i++) {
                System.arraycopy(data[i], 0, copies[i], 0, data[i].length);
            }
        }

        @Override
        public void reconstructTwoDataShards() {
            encode();
        }
    }
}
