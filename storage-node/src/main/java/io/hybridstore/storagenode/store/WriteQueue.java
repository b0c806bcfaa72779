package io.hybridstore.storagenode.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * The bounded queue between request threads and the I/O workers. An operation counts against the bounds from the
 * moment it is admitted until it is durable (its bytes stay in memory until then), so the queue can never hold
 * more than {@code capacity} operations or {@code maxBytes} of blob data; beyond that a write is refused at once
 * instead of waiting.
 *
 * <p>Sequence numbers are handed out under the same lock as the index is updated, so for any id the order of
 * entries in the index is the order of their sequence numbers, which is the order recovery replays them in.
 */
final class WriteQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<WriteOp> waiting = new ArrayDeque<>();
    private final int capacity;
    private final long maxBytes;
    private int admitted;
    private long admittedBytes;
    private long nextSeq;
    private boolean closed;

    WriteQueue(int capacity, long maxBytes, long firstSeq) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.nextSeq = firstSeq;
    }

    /**
     * Admits the operation {@code build} makes from a fresh sequence number; {@code build} runs under the queue lock
     * and may return null when there is nothing to write.
     *
     * @throws QueueFullException when the operation would exceed either bound
     * @throws NotAcceptingWritesException when the queue is closed
     */
    <T extends WriteOp> T offer(long bytes, LongFunction<T> build) {
        lock.lock();
        try {
            if (closed) {
                throw new NotAcceptingWritesException("the storage node is shutting down");
            }
            if (admitted >= capacity || (admitted > 0 && admittedBytes + bytes > maxBytes)) {
                throw new QueueFullException(admitted, admittedBytes);
            }
            T op = build.apply(nextSeq++);
            if (op != null) {
                admitted++;
                admittedBytes += op.bytes();
                waiting.addLast(op);
                notEmpty.signal();
            }
            return op;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for work, then takes up to {@code maxOps} operations and {@code maxBytes} bytes (at least one). Returns
     * an empty list once the queue is closed and drained.
     */
    List<WriteOp> takeBatch(int maxOps, long maxBatchBytes) throws InterruptedException {
        lock.lock();
        try {
            while (waiting.isEmpty() && !closed) {
                notEmpty.await();
            }
            List<WriteOp> batch = new ArrayList<>(Math.min(maxOps, waiting.size()));
            long bytes = 0;
            while (!waiting.isEmpty() && batch.size() < maxOps
                    && (batch.isEmpty() || bytes + waiting.peekFirst().bytes() <= maxBatchBytes)) {
                WriteOp op = waiting.pollFirst();
                bytes += op.bytes();
                batch.add(op);
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Frees the room the batch held, once it is durable or has failed. */
    void release(List<WriteOp> batch) {
        lock.lock();
        try {
            admitted -= batch.size();
            admittedBytes -= batch.stream().mapToLong(WriteOp::bytes).sum();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new operations; workers drain what is queued and then stop. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int depth() {
        lock.lock();
        try {
            return admitted;
        } finally {
            lock.unlock();
        }
    }

    int capacity() {
        return capacity;
    }
}
