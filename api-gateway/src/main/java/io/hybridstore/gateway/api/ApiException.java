package io.hybridstore.gateway.api;

import org.springframework.http.HttpStatus;

/** A request the API refuses before anything in the cluster changes; carries its status and error code. */
public final class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String error;

    ApiException(HttpStatus status, String error, String detail) {
        super(detail);
        this.status = status;
        this.error = error;
    }

    HttpStatus status() {
        return status;
    }

    String error() {
        return error;
    }
}
