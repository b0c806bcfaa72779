package io.hybridstore.gateway.access;

/** A proven caller asked for what its key holds no grant for: 403, nothing changed. */
public final class AccessDeniedException extends RuntimeException {

    public AccessDeniedException(String message) {
        super(message);
    }
}
