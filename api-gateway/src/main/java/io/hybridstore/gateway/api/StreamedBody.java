package io.hybridstore.gateway.api;

import io.hybridstore.common.concurrent.Futures;
import io.hybridstore.gateway.write.WriteBody;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The request's body, read as the write needs it. Read whole, it is checked at once; read in pieces, the JSON check
 * runs on a virtual thread fed copies of the same bytes through a short queue, so checking costs a few slices of
 * memory however large the body, and a body that turns out not to be a JSON object fails the write at the next
 * piece. Closing it stops the check.
 */
final class StreamedBody implements WriteBody, AutoCloseable {

    private static final int SLICE = 64 * 1024;
    private static final int QUEUED_SLICES = 4;

    private final InputStream in;
    private final long declaredLength;
    private final long limit;
    private final JsonObjectCheck check;
    private long received;
    private Checker checker;

    StreamedBody(InputStream in, long declaredLength, long limit, JsonObjectCheck check) {
        this.in = in;
        this.declaredLength = declaredLength;
        this.limit = limit;
        this.check = check;
    }

    @Override
    public long declaredLength() {
        return declaredLength;
    }

    @Override
    public byte[] readAll() {
        try {
            byte[] body = RequestValidation.body(in, declaredLength, limit);
            check.requireObject(body);
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
    }

    @Override
    public int readNext(byte[] buffer) {
        int n;
        try {
            n = in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
        received += n;
        if (received > limit) {
            throw RequestValidation.tooLarge(received, limit);
        }
        if (received == 0) {
            throw RequestValidation.emptyBody();
        }
        checker().feed(buffer, n);
        return n;
    }

    @Override
    public void finish() {
        checker().end();
    }

    @Override
    public void close() {
        if (checker != null) {
            checker.thread.interrupt();
        }
    }

    private Checker checker() {
        if (checker == null) {
            checker = new Checker();
        }
        return checker;
    }

    private final class Checker {

        private static final byte[] END = new byte[0];

        private final BlockingQueue<byte[]> slices = new ArrayBlockingQueue<>(QUEUED_SLICES);
        private final CompletableFuture<Void> verdict = new CompletableFuture<>();
        private final Thread thread;

        Checker() {
            thread = Thread.ofVirtual().name("json-check").start(() -> {
                try {
                    check.requireObject(new SliceStream(slices));
                    verdict.complete(null);
                } catch (RuntimeException e) {
                    verdict.completeExceptionally(e);
                }
            });
        }

        void feed(byte[] bytes, int length) {
            for (int offset = 0; offset < length; offset += SLICE) {
                enqueue(Arrays.copyOfRange(bytes, offset, Math.min(length, offset + SLICE)));
            }
        }

        void end() {
            enqueue(END);
            Futures.join(verdict);
        }

        /** Waits for room in the queue, unless the check has already failed: then its error is the write's. */
        private void enqueue(byte[] slice) {
            try {
                while (!slices.offer(slice, 50, TimeUnit.MILLISECONDS)) {
                    failIfRefused();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "interrupted", "the gateway is shutting down");
            }
            failIfRefused();
        }

        private void failIfRefused() {
            if (verdict.isCompletedExceptionally()) {
                throw (RuntimeException) verdict.exceptionNow();
            }
        }
    }

    /** The queued slices as a stream; the empty slice ends it. */
    private static final class SliceStream extends InputStream {

        private final BlockingQueue<byte[]> slices;
        private byte[] current = new byte[0];
        private int position;

        SliceStream(BlockingQueue<byte[]> slices) {
            this.slices = slices;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (current == null) {
                return -1;
            }
            while (position == current.length) {
                try {
                    current = slices.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("the write stopped reading its body");
                }
                position = 0;
                if (current.length == 0) {
                    current = null;
                    return -1;
                }
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
