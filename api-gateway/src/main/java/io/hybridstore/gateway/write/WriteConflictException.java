package io.hybridstore.gateway.write;

/** The write could not be committed: other writers kept changing the key, or hot_only met changed cold fields. */
public final class WriteConflictException extends RuntimeException {

    public WriteConflictException(String message) {
        super(message);
    }
}
