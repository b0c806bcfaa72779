package io.hybridstore.gateway.memory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes this gateway may hold for the values of requests in flight, reads and writes together. A request
 * reserves before it allocates; what does not fit waits up to {@code maxWait} for others to finish, then is refused
 * with {@link OverloadedException}, so no mix of requests can exhaust the heap. A reservation larger than the whole
 * budget is clamped to it: such a request runs alone rather than never.
 */
public final class MemoryBudget {

    private final long capacity;
    private final long maxWaitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final Counter refused;
    private long inUse;

    public MemoryBudget(long capacity, Duration maxWait, MeterRegistry meters) {
        this.capacity = capacity;
        this.maxWaitNanos = maxWait.toNanos();
        Gauge.builder("hybridstore.gateway.memory.in.flight", this, MemoryBudget::inUse).baseUnit("bytes")
                .description("Bytes reserved by requests in flight").register(meters);
        this.refused = Counter.builder("hybridstore.gateway.memory.refused")
                .description("Requests refused with 503 overloaded because the memory budget stayed full")
                .register(meters);
    }

    /** A reservation of {@code bytes}, waiting for room; close it when the bytes are no longer referenced. */
    public Reservation reserve(long bytes) {
        Reservation reservation = new Reservation();
        reservation.grow(bytes);
        return reservation;
    }

    public long inUse() {
        lock.lock();
        try {
            return inUse;
        } finally {
            lock.unlock();
        }
    }

    private long take(long wanted, long alreadyHeld) {
        long bytes = Math.max(0, Math.min(wanted, capacity - alreadyHeld));
        lock.lock();
        try {
            long deadline = System.nanoTime() + maxWaitNanos;
            while (inUse + bytes > capacity) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    refused.increment();
                    throw new OverloadedException("the gateway holds " + inUse + " of its " + capacity
                            + " bytes for requests in flight and " + bytes + " more did not fit within "
                            + Duration.ofNanos(maxWaitNanos).toMillis() + " ms; retry later");
                }
                released.awaitNanos(left);
            }
            inUse += bytes;
            return bytes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OverloadedException("interrupted while waiting for memory; the gateway is shutting down");
        } finally {
            lock.unlock();
        }
    }

    private void give(long bytes) {
        if (bytes == 0) {
            return;
        }
        lock.lock();
        try {
            inUse -= bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes held by one request; it may grow as the request's buffers do. */
    public final class Reservation implements AutoCloseable {

        private long held;
        private boolean closed;

        /** Reserves {@code bytes} more, waiting as {@link #reserve} does. */
        public void grow(long bytes) {
            if (closed) {
                throw new IllegalStateException("the reservation is closed");
            }
            held += take(bytes, held);
        }

        /** Gives back {@code bytes} the request no longer holds. */
        public void shrink(long bytes) {
            long given = Math.min(bytes, held);
            held -= given;
            give(given);
        }

        public long held() {
            return held;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                give(held);
                held = 0;
            }
        }
    }
}
