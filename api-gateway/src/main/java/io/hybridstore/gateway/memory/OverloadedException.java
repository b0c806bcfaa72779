package io.hybridstore.gateway.memory;

/** The memory budget stayed full for longer than the request may wait; answered 503 {@code overloaded}. */
public final class OverloadedException extends RuntimeException {

    public OverloadedException(String message) {
        super(message);
    }
}
