package io.hybridstore.benchmark.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fixed concurrency, closed loop: {@code clients} virtual threads, each starting its next operation as soon as the
 * previous one answered, until the duration is over or the operation budget is spent. A warm-up is a separate call
 * whose summary is discarded, so nothing warm-up started is still in flight when the measured run begins (callers
 * read server counters in between).
 */
public final class ClosedLoop {

    /** One operation of one client; true when it succeeded. */
    @FunctionalInterface
    public interface Operation {
        boolean run() throws Exception;
    }

    private ClosedLoop() {
    }

    /**
     * @param duration   stop starting operations after this long; null for no limit
     * @param operations stop after this many operations in total; 0 for no limit
     */
    public static LatencyLog.Summary run(int clients, Duration duration, long operations, Operation operation)
            throws Exception {
        if (duration == null && operations <= 0) {
            throw new IllegalArgumentException("a run needs a duration or an operation count");
        }
        long start = System.nanoTime();
        long deadline = duration == null ? 0 : start + duration.toNanos();
        AtomicLong budget = new AtomicLong(operations > 0 ? operations : Long.MAX_VALUE);
        List<LatencyLog> logs = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                LatencyLog log = new LatencyLog();
                logs.add(log);
                running.add(pool.submit(() -> {
                    while ((duration == null || System.nanoTime() - deadline < 0) && budget.getAndDecrement() > 0) {
                        long begin = System.nanoTime();
                        if (operation.run()) {
                            log.add((System.nanoTime() - begin) / 1000);
                        } else {
                            log.error();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        }
        return LatencyLog.summarize(logs, (System.nanoTime() - start) / 1e9);
    }
}
