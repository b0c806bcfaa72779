package io.hybridstore.storagenode.store;

/** The write queue is at its bound; the client should retry shortly (the node answers 503 with Retry-After). */
public final class QueueFullException extends RuntimeException {

    QueueFullException(int queued, long queuedBytes) {
        super("write queue full (" + queued + " operations, " + queuedBytes + " bytes waiting to be made durable)");
    }
}
