package io.hybridstore.benchmark.storage;

import io.hybridstore.benchmark.load.ClosedLoop;
import io.hybridstore.benchmark.load.LatencyLog;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.StorageNodeException;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop put load: {@code writers} virtual threads, each putting one blob after another, first for a warm-up
 * whose results are discarded, then for the measured duration; the node's fsync counter is read in between.
 * Latency is from sending the request to the acknowledgement, over the blob protocol the gateways use.
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

    private final NodeProcess node;
    private final int writers;

    PutLoad(NodeProcess node, int writers) {
        this.node = node;
        this.writers = writers;
    }

    Result run(int blobSize, long warmupMillis, long durationMillis) throws Exception {
        byte[] data = new byte[blobSize];
        new Random(blobSize).nextBytes(data);
        long crc = Checksums.crc32c(data);
        String prefix = "b" + blobSize + "-" + System.nanoTime() + "-";
        AtomicLong sequence = new AtomicLong();
        ClosedLoop.Operation put = () -> put(new BlobId(prefix + sequence.incrementAndGet()), data, crc);

        ClosedLoop.run(writers, Duration.ofMillis(warmupMillis), 0, put);
        long fsyncsBefore = node.fsyncs();
        LatencyLog.Summary timed = ClosedLoop.run(writers, Duration.ofMillis(durationMillis), 0, put);
        long fsyncs = node.fsyncs() - fsyncsBefore;
        return new Result(timed.ok(), timed.errors(), timed.seconds(), blobSize, timed.p50Micros(),
                timed.p99Micros(), fsyncs);
    }

    private boolean put(BlobId id, byte[] data, long crc) {
        try {
            node.client().put(node.node(), id, data, crc);
            return true;
        } catch (StorageNodeException e) {
            return false;
        }
    }
}
