package io.hybridstore.storagenode.api;

import io.hybridstore.storagenode.config.StorageNodeProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Reads put bodies into memory as their bytes arrive, never at their declared size up front: a sender that declares
 * 60 MB and sends 5 bytes holds one chunk, not 60 MB. What all bodies being received hold together is bounded by
 * {@code body-bytes-in-flight}; a put that finds no room waits {@code body-wait}, then gets 503 {@code overloaded}.
 * A sender that takes longer than {@code body-timeout} for its whole body is cut off with 408, and one that stalls
 * completely is cut off by the connector's read timeout ({@code server.tomcat.connection-timeout}).
 */
@Component
class BodyReader {

    private static final int CHUNK = 64 * 1024;
    private static final int KIB = 1024;

    /** Permits are KiB, so that a budget beyond 2 GiB still fits an int semaphore. */
    private final Semaphore budget;
    private final long waitNanos;
    private final long timeoutNanos;
    private final long maxBlobSize;

    BodyReader(StorageNodeProperties properties, MeterRegistry registry) {
        int permits = (int) (properties.bodyBytesInFlight().toBytes() / KIB);
        this.budget = new Semaphore(permits);
        this.waitNanos = properties.bodyWait().toNanos();
        this.timeoutNanos = properties.bodyTimeout().toNanos();
        this.maxBlobSize = properties.maxBlobSize().toBytes();
        Gauge.builder("hybridstore.storage.body.bytes.in.flight", budget,
                        b -> (double) (permits - b.availablePermits()) * KIB)
                .description("memory set aside for put bodies still being received (bounded by body-bytes-in-flight)")
                .baseUnit("bytes").register(registry);
    }

    /** The body, at most {@code max-blob-size} bytes whatever its headers say. */
    byte[] read(HttpServletRequest request) {
        try {
            return read(request.getInputStream(), request.getContentLengthLong());
        } catch (IOException e) {
            throw new BadRequestException("could not read the request body: " + e.getMessage());
        }
    }

    /**
     * The body from {@code body}, {@code declared} bytes long (-1: until the stream ends), at most
     * {@code max-blob-size} bytes.
     */
    byte[] read(InputStream body, long declared) {
        long limit = declared >= 0 ? declared : maxBlobSize + 1;
        long deadline = System.nanoTime() + timeoutNanos;
        List<byte[]> chunks = new ArrayList<>();
        long total = 0;
        int held = 0;
        try (InputStream in = body) {
            boolean ended = false;
            while (total < limit && !ended) {
                int size = (int) Math.min(CHUNK, limit - total);
                int permits = (size + KIB - 1) / KIB;
                reserve(permits);
                held += permits;
                byte[] chunk = new byte[size];
                int filled = 0;
                while (filled < size) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new BodyTimeoutException("the body did not arrive within the body timeout ("
                                + (total + filled) + " of " + (declared >= 0 ? declared : "?") + " bytes)");
                    }
                    int n = in.read(chunk, filled, size - filled);
                    if (n < 0) {
                        ended = true;
                        break;
                    }
                    filled += n;
                }
                chunks.add(filled == size ? chunk : Arrays.copyOf(chunk, filled));
                total += filled;
            }
            if (declared >= 0 && total < declared) {
                throw new BadRequestException("body ended after " + total + " of " + declared + " declared bytes");
            }
            if (total > maxBlobSize) {
                throw new BlobTooLargeException(maxBlobSize);
            }
            return join(chunks, (int) total);
        } catch (SocketTimeoutException e) {
            throw new BodyTimeoutException("the sender stalled: " + e.getMessage());
        } catch (IOException e) {
            if (e.getCause() instanceof SocketTimeoutException) {
                throw new BodyTimeoutException("the sender stalled: " + e.getMessage());
            }
            throw new BadRequestException("could not read the request body: " + e.getMessage());
        } finally {
            budget.release(held);
        }
    }

    private void reserve(int permits) {
        try {
            if (!budget.tryAcquire(permits, waitNanos, TimeUnit.NANOSECONDS)) {
                throw new OverloadedException("too many request-body bytes in flight on this node; retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OverloadedException("interrupted while waiting for room for the request body");
        }
    }

    private static byte[] join(List<byte[]> chunks, int total) {
        if (chunks.size() == 1 && chunks.getFirst().length == total) {
            return chunks.getFirst();
        }
        byte[] data = new byte[total];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, data, at, chunk.length);
            at += chunk.length;
        }
        return data;
    }
}
