package io.hybridstore.gateway.api;

import io.hybridstore.common.concurrent.Futures;
import io.hybridstore.gateway.memory.MemoryBudget.Reservation;
import io.hybridstore.gateway.write.WriteBody;
import org.springframework.http.HttpStatus;

import java.io.EOFException;
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
 * piece. Closing it stops the check and gives its memory back.
 *
 * <p>What it holds is reserved in the gateway's memory budget before it is allocated: read whole, the buffer grows
 * with the bytes that actually arrive (a declared length is a client's claim, not a reason to allocate); read in
 * pieces, the write's stripe working set is reserved at the first piece.
 */
final class StreamedBody implements WriteBody, AutoCloseable {

    private static final int SLICE = 64 * 1024;
    private static final int QUEUED_SLICES = 4;
    private static final int FIRST_BUFFER = 64 * 1024;

    private final InputStream in;
    private final long declaredLength;
    private final long limit;
    private final JsonObjectCheck check;
    private final Reservation memory;
    private final long pieceWorkingSet;
    private final int copies;
    private long received;
    private Checker checker;

    /**
     * @param memory          the write's reservation, closed with the body
     * @param pieceWorkingSet what a write that reads the body in pieces holds at most (its stripes in flight)
     * @param copies          how many body-sized arrays a write that reads the body whole holds: 1 for a copy
     *                        sent as is, more when the write derives values from it (split parts, a merge)
     */
    StreamedBody(InputStream in, long declaredLength, long limit, JsonObjectCheck check, Reservation memory,
                 long pieceWorkingSet, int copies) {
        this.in = in;
        this.declaredLength = declaredLength;
        this.limit = limit;
        this.check = check;
        this.memory = memory;
        this.pieceWorkingSet = pieceWorkingSet;
        this.copies = copies;
    }

    @Override
    public long declaredLength() {
        return declaredLength;
    }

    @Override
    public byte[] readAll() {
        try {
            byte[] body = readGrowing();
            check.requireObject(body);
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
    }

    /**
     * Reads at most {@code limit} bytes; one more means the body is too large, whatever Content-Length said. The
     * buffer doubles as bytes arrive, up to the declared length, so a declared length is read without a final copy.
     */
    private byte[] readGrowing() throws IOException {
        long most = declaredLength >= 0 ? declaredLength : limit + 1;
        if (declaredLength > limit || most > Integer.MAX_VALUE - 8) {
            throw RequestValidation.tooLarge(most, limit);
        }
        byte[] buffer = allocate((int) Math.min(most, FIRST_BUFFER));
        int filled = 0;
        while (true) {
            filled += in.readNBytes(buffer, filled, buffer.length - filled);
            if (filled < buffer.length || buffer.length == most) {
                break;
            }
            byte[] larger = allocate((int) Math.min(most, 2L * buffer.length));
            System.arraycopy(buffer, 0, larger, 0, filled);
            memory.shrink((long) buffer.length * copies);
            buffer = larger;
        }
        if (filled > limit) {
            throw RequestValidation.tooLarge(filled, limit);
        }
        if (filled == 0) {
            throw RequestValidation.emptyBody();
        }
        if (declaredLength >= 0 && filled < declaredLength) {
            throw new UncheckedIOException("could not read the request body", new EOFException(
                    "the body ended after " + filled + " of the " + declaredLength + " bytes declared"));
        }
        if (filled == buffer.length) {
            return buffer;
        }
        byte[] exact = allocate(filled);
        System.arraycopy(buffer, 0, exact, 0, filled);
        memory.shrink((long) buffer.length * copies);
        return exact;
    }

    private byte[] allocate(int length) {
        memory.grow((long) length * copies);
        return new byte[length];
    }

    @Override
    public int readNext(byte[] buffer) {
        if (received == 0) {
            memory.grow(pieceWorkingSet);
        }
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
        memory.close();
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
