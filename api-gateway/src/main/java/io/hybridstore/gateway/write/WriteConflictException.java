package io.hybridstore.gateway.write;

/** The write could not be committed: other writers kept changing the key through every commit attempt. */
public final class WriteConflictException extends RuntimeException {

    public WriteConflictException(String message) {
        super(message);
    }
}
