package io.hybridstore.storagenode.store;

/** Reading the data directory failed; the failure has been reported to {@link DiskHealth}. */
public final class DiskFailureException extends RuntimeException {

    DiskFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
