package io.hybridstore.benchmark.load;

import java.util.Arrays;
import java.util.List;

/**
 * One worker's latencies in microseconds and its error count; written by that worker only, read after it finished,
 * so it needs no synchronisation and adds no contention to the measured loop.
 */
public final class LatencyLog {

    private long[] values = new long[4096];
    private int size;
    private long errors;

    public void add(long micros) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = micros;
    }

    public void error() {
        errors++;
    }

    /** The figures of all logs together over a run of {@code seconds}. */
    public static Summary summarize(List<LatencyLog> logs, double seconds) {
        long[] all = new long[logs.stream().mapToInt(l -> l.size).sum()];
        int at = 0;
        long errors = 0;
        for (LatencyLog log : logs) {
            System.arraycopy(log.values, 0, all, at, log.size);
            at += log.size;
            errors += log.errors;
        }
        Arrays.sort(all);
        double mean = all.length == 0 ? 0 : Arrays.stream(all).average().orElse(0);
        return new Summary(all.length, errors, seconds, percentile(all, 0.50), percentile(all, 0.95),
                percentile(all, 0.99), all.length == 0 ? 0 : all[all.length - 1], mean);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Latencies (microseconds) of the successful operations, errors counted apart. */
    public record Summary(long ok, long errors, double seconds, long p50Micros, long p95Micros, long p99Micros,
                          long maxMicros, double meanMicros) {

        public double opsPerSecond() {
            return ok / seconds;
        }

        public double errorRate() {
            return ok + errors == 0 ? 0 : errors / (double) (ok + errors);
        }
    }
}
