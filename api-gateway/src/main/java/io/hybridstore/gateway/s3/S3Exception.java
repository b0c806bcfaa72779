package io.hybridstore.gateway.s3;

/**
 * A request the S3 API refuses, answered as an S3 XML error with the error's status. Thrown from wherever the
 * refusal is found, including from inside a request body's stream while a write reads it.
 */
public final class S3Exception extends RuntimeException {

    private final S3Error error;

    public S3Exception(S3Error error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public S3Error error() {
        return error;
    }
}
