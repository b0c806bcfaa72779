package io.hybridstore.benchmark.storage;

import io.hybridstore.benchmark.load.ClosedLoop;
import io.hybridstore.benchmark.load.LatencyLog;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * Closed-loop put load: {@code writers} virtual threads, each putting one blob after another, first for a warm-up
 * whose results are discarded, then for the measured duration; the node's fsync counter is read in between.
 * Latency is from sending the request to the acknowledgement (201).
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
        AtomicLong sequence = new AtomicLong();
        ClosedLoop.Operation put = () -> put(prefix + sequence.incrementAndGet(), data, crcHeader);

        ClosedLoop.run(writers, Duration.ofMillis(warmupMillis), 0, put);
        long fsyncsBefore = node.fsyncs(http);
        LatencyLog.Summary timed = ClosedLoop.run(writers, Duration.ofMillis(durationMillis), 0, put);
        long fsyncs = node.fsyncs(http) - fsyncsBefore;
        return new Result(timed.ok(), timed.errors(), timed.seconds(), blobSize, timed.p50Micros(),
                timed.p99Micros(), fsyncs);
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
}
