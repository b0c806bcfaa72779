package io.hybridstore.gateway.write;

/** A merge whose result would be larger than the body size limit: nothing was written. */
public class ValueTooLargeException extends RuntimeException {

    public ValueTooLargeException(String message) {
        super(message);
    }
}
