package io.hybridstore.gateway.read;

/** The object exists, but too few of its replicas or shards could be read intact right now. */
public final class ObjectUnavailableException extends RuntimeException {

    public ObjectUnavailableException(String message) {
        super(message);
    }
}
