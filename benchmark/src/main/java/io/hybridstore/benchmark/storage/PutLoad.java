package io.hybridstore.benchmark.storage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * Closed-loop put load: {@code writers} virtual threads, each putting one blob after another, first for a warm-up
 * whose results are discarded, then for the measured duration. Latency is from sending the request to the
 * acknowledgement (201).
 */
final class PutLoad {

    /** What one measured run achieved. */
    record Result(long blobs, long errors, double seconds, int blobSize, long p50Micros, long p99Micros,
                  long fsyncs) {

        double blobsPerSecond() {
            return blobs / seconds;
        }

        double megabytesPerSecond() {
            return blobs * (double) blobSize / seconds / (1 << 20);
        }

        double fsyncsPerBlob() {
            return blobs == 0 ? 0 : fsyncs / (double) blobs;
        }
    }

    private final HttpClient http;
    private final NodeProcess node;
    private final int writers;

    PutLoad(HttpClient http, NodeProcess node, int writers) {
        this.http = http;
        this.node = node;
        this.writers = writers;
    }

    Result run(int blobSize, long warmupMillis, long durationMillis) throws Exception {
        byte[] data = new byte[blobSize];
        new Random(blobSize).nextBytes(data);
        CRC32C crc = new CRC32C();
        crc.update(data);
        String crcHeader = Long.toString(crc.getValue());
        String prefix = "b" + blobSize + "-" + System.nanoTime() + "-";

        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        LatencyLog[] logs = new LatencyLog[writers];
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?>[] running = new Future<?>[writers];
            for (int w = 0; w < writers; w++) {
                LatencyLog log = logs[w] = new LatencyLog();
                String writerPrefix = prefix + w + "-";
                running[w] = pool.submit(() -> {
                    for (long i = 0; !stop.get(); i++) {
                        long start = System.nanoTime();
                        boolean ok = put(writerPrefix + i, data, crcHeader);
                        long micros = (System.nanoTime() - start) / 1000;
                        if (measuring.get()) {
                            if (ok) {
                                log.add(micros);
                            } else {
                                errors.incrementAndGet();
                            }
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(warmupMillis);
            long fsyncsBefore = node.fsyncs(http);
            measuring.set(true);
            long start = System.nanoTime();
            Thread.sleep(durationMillis);
            measuring.set(false);
            double seconds = (System.nanoTime() - start) / 1e9;
            long fsyncs = node.fsyncs(http) - fsyncsBefore;
            stop.set(true);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            long[] all = LatencyLog.merge(logs);
            Arrays.sort(all);
            return new Result(all.length, errors.get(), seconds, blobSize, percentile(all, 0.50),
                    percentile(all, 0.99), fsyncs);
        }
    }

    private boolean put(String id, byte[] data, String crcHeader) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.url() + "/blobs/" + id))
                .header("Content-Type", "application/octet-stream")
                .header("X-Checksum-CRC32C", crcHeader)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 201;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** One writer's latencies in microseconds; written by that writer only, read after it finished. */
    private static final class LatencyLog {
        private long[] values = new long[4096];
        private int size;

        void add(long micros) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = micros;
        }

        static long[] merge(LatencyLog[] logs) {
            long[] all = new long[Arrays.stream(logs).mapToInt(l -> l.size).sum()];
            int at = 0;
            for (LatencyLog log : logs) {
                System.arraycopy(log.values, 0, all, at, log.size);
                at += log.size;
            }
            return all;
        }
    }
}
