package io.hybridstore.storagenode.api;

/** Too many request-body bytes are in flight on this node; the client retries shortly (503 with Retry-After). */
final class OverloadedException extends RuntimeException {

    OverloadedException(String message) {
        super(message);
    }
}
