package io.hybridstore.storagenode.api;

/** A request parameter, header or body that is not acceptable; answered 400. */
final class BadRequestException extends RuntimeException {

    BadRequestException(String message) {
        super(message);
    }
}
