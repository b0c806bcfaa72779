package io.hybridstore.gateway.wal;

/** The log did not take an intent; nothing has been written yet, so the operation can simply fail with 503. */
public final class LogUnavailableException extends RuntimeException {

    public LogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
