package io.hybridstore.erasure;

/** A backend was asked for explicitly (argument or system property) but cannot run on this JVM or machine. */
public final class BackendUnavailableException extends ErasureException {

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
