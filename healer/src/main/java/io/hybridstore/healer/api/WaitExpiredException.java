package io.hybridstore.healer.api;

/** The requested pass or scrub cycle is still running after the caller's {@code wait}; it goes on regardless. */
final class WaitExpiredException extends RuntimeException {

    WaitExpiredException(String message) {
        super(message);
    }
}
