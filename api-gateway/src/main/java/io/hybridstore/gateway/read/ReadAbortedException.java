package io.hybridstore.gateway.read;

/**
 * A streamed read failed after part of the value had been sent: there is no status left to answer with, so the
 * answer must be cut off, and the client sees fewer bytes than the Content-Length it was promised.
 */
public final class ReadAbortedException extends RuntimeException {

    public ReadAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
