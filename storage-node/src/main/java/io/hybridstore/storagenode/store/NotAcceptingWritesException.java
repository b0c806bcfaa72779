package io.hybridstore.storagenode.store;

/** The node refuses writes: its disk failed, it is not registered in etcd, or it is shutting down. */
public final class NotAcceptingWritesException extends RuntimeException {

    public NotAcceptingWritesException(String reason) {
        super(reason);
    }
}
