package io.hybridstore.erasure;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The vector kernel, but only once the JIT has compiled it. Interpreted, Vector API code runs about a thousand times
 * slower than compiled (measured: ~1 MB/s for the first two seconds of RS(4,2) encodes), and the JIT needs on the
 * order of 10^5 loop iterations to get there; left alone, the first objects a fresh process writes would stall.
 * A background thread drives the vector loops until they are several times faster than the scalar kernel and give
 * its bytes; calls take the scalar path until then, and for good if the vector loops never get faster.
 */
final class WarmingVectorKernel implements GfKernel {

    /** Wall time, generous because a loaded machine starves both this thread and the JIT compiler threads. */
    private static final Duration MAX_WARM_UP = Duration.ofMinutes(3);
    private static final int LENGTH = 16 * 1024;
    private static final System.Logger LOG = System.getLogger(ReedSolomon.class.getName());

    private final VectorKernel vector;
    private final ScalarKernel scalar = new ScalarKernel();
    private final CountDownLatch warmUpDone = new CountDownLatch(1);
    private volatile boolean compiled;

    WarmingVectorKernel(VectorKernel vector) {
        this.vector = vector;
        Thread.ofPlatform().daemon().name("erasure-vector-warm-up").start(this::warmUp);
    }

    @Override
    public ShardMultiplier compile(byte[] matrix, int rows, int cols) {
        ShardMultiplier fast = vector.compile(matrix, rows, cols);
        ShardMultiplier slow = scalar.compile(matrix, rows, cols);
        return (inputs, outputs, length) -> (compiled ? fast : slow).multiply(inputs, outputs, length);
    }

    @Override
    public String description() {
        return vector.description();
    }

    /** Waits for the warm-up to finish; false if it is still running after {@code timeout}. */
    boolean awaitWarmUp(Duration timeout) throws InterruptedException {
        return warmUpDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean usesVectorLoops() {
        return compiled;
    }

    /**
     * Seven rows run the four-, two- and one-row loops; heap and native shards both go through them so the compiled
     * code does not assume one kind and get deoptimised (back to interpreted speed) when the other turns up.
     */
    private void warmUp() {
        long started = System.nanoTime();
        try (Arena arena = Arena.ofConfined()) {
            Random random = new Random(0);
            byte[] matrix = new byte[7 * 4];
            random.nextBytes(matrix);
            ShardMultiplier fast = vector.compile(matrix, 7, 4);
            ShardMultiplier slow = scalar.compile(matrix, 7, 4);
            MemorySegment[] heapIn = shards(null, 4, random);
            MemorySegment[] nativeIn = shards(arena, 4, null);
            MemorySegment[] heapOut = shards(null, 7, null);
            MemorySegment[] nativeOut = shards(arena, 7, null);
            MemorySegment[] expected = shards(null, 7, null);
            for (int i = 0; i < 4; i++) {
                nativeIn[i].copyFrom(heapIn[i]);
            }
            int fasterInARow = 0;
            while (fasterInARow < 3 && System.nanoTime() - started < MAX_WARM_UP.toNanos()) {
                long vectorNanos = -System.nanoTime();
                fast.multiply(heapIn, heapOut, LENGTH);
                vectorNanos += System.nanoTime();
                fast.multiply(nativeIn, nativeOut, LENGTH);
                long scalarNanos = -System.nanoTime();
                slow.multiply(heapIn, expected, LENGTH);
                scalarNanos += System.nanoTime();
                fasterInARow = 4 * vectorNanos < scalarNanos ? fasterInARow + 1 : 0;
            }
            if (!sameBytes(heapOut, expected) || !sameBytes(nativeOut, expected)) {
                LOG.log(System.Logger.Level.ERROR, "compiled vector kernel computes wrong bytes; using scalar");
            } else if (fasterInARow < 3) {
                LOG.log(System.Logger.Level.WARNING, "vector kernel not faster than scalar here; using scalar");
            } else {
                compiled = true;
                LOG.log(System.Logger.Level.DEBUG, "vector kernel compiled after "
                        + (System.nanoTime() - started) / 1_000_000 + " ms");
            }
        } finally {
            warmUpDone.countDown();
        }
    }

    private static MemorySegment[] shards(Arena arena, int count, Random random) {
        MemorySegment[] shards = new MemorySegment[count];
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[LENGTH];
            if (random != null) {
                random.nextBytes(bytes);
            }
            shards[i] = arena == null ? MemorySegment.ofArray(bytes) : arena.allocate(LENGTH);
        }
        return shards;
    }

    private static boolean sameBytes(MemorySegment[] actual, MemorySegment[] expected) {
        for (int i = 0; i < actual.length; i++) {
            if (actual[i].mismatch(expected[i]) >= 0) {
                return false;
            }
        }
        return true;
    }
}
