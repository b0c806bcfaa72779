package io.hybridstore.storagenode.api;

/** The sender did not deliver its body within {@code body-timeout}. */
final class BodyTimeoutException extends RuntimeException {

    BodyTimeoutException(String message) {
        super(message);
    }
}
