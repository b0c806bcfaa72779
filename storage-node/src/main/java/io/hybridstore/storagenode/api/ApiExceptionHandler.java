package io.hybridstore.storagenode.api;

import io.hybridstore.common.blob.InvalidBlobIdException;
import io.hybridstore.storagenode.store.ChecksumMismatchException;
import io.hybridstore.storagenode.store.DiskFailureException;
import io.hybridstore.storagenode.store.NotAcceptingWritesException;
import io.hybridstore.storagenode.store.QueueFullException;
import io.hybridstore.web.ErrorBody;
import io.hybridstore.web.JsonErrors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one mapping from the node's exceptions to HTTP answers, every body an {@link ErrorBody}; what it leaves
 * unmapped gets the shared last resort of {@link JsonErrors}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends JsonErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidBlobIdException.class)
    ResponseEntity<ErrorBody> invalidBlobId(InvalidBlobIdException e) {
        return answer(HttpStatus.BAD_REQUEST, "invalid_blob_id", e.getMessage());
    }

    @ExceptionHandler(ChecksumMismatchException.class)
    ResponseEntity<ErrorBody> checksumMismatch(ChecksumMismatchException e) {
        log.warn("Refused a put: {}", e.getMessage());
        return answer(HttpStatus.BAD_REQUEST, "checksum_mismatch", e.getMessage());
    }

    @ExceptionHandler({BadRequestException.class, MethodArgumentTypeMismatchException.class,
            MissingServletRequestParameterException.class})
    ResponseEntity<ErrorBody> badRequest(Exception e) {
        return answer(HttpStatus.BAD_REQUEST, "bad_request", e.getMessage());
    }

    /** Tomcat decodes the query string only when a parameter is first asked for, so this surfaces in the handler. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ErrorBody> undecodableQuery(InvalidParameterException e) {
        return answer(HttpStatus.BAD_REQUEST, "bad_request", "the query string is not valid percent-encoded UTF-8");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorBody> unreadableBody(HttpMessageNotReadableException e) {
        return answer(HttpStatus.BAD_REQUEST, "bad_request", "request body is not the expected JSON");
    }

    @ExceptionHandler({BlobNotFoundException.class, NoResourceFoundException.class})
    ResponseEntity<ErrorBody> notFound(Exception e) {
        return answer(HttpStatus.NOT_FOUND, "not_found", e.getMessage());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ErrorBody> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        return answer(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ErrorBody> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        return answer(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", e.getMessage());
    }

    @ExceptionHandler(BlobTooLargeException.class)
    ResponseEntity<ErrorBody> tooLarge(BlobTooLargeException e) {
        return answer(HttpStatus.CONTENT_TOO_LARGE, "blob_too_large", e.getMessage());
    }

    /** Overload, not failure: the client retries after a moment, or places the blob elsewhere. */
    @ExceptionHandler(QueueFullException.class)
    ResponseEntity<ErrorBody> queueFull(QueueFullException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(new ErrorBody("queue_full", e.getMessage()));
    }

    @ExceptionHandler(OverloadedException.class)
    ResponseEntity<ErrorBody> overloaded(OverloadedException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(new ErrorBody("overloaded", e.getMessage()));
    }

    /** The connection is closed too: what the sender still sends would only be read and thrown away. */
    @ExceptionHandler(BodyTimeoutException.class)
    ResponseEntity<ErrorBody> bodyTimeout(BodyTimeoutException e) {
        return ResponseEntity.status(HttpStatus.REQUEST_TIMEOUT)
                .header(HttpHeaders.CONNECTION, "close")
                .body(new ErrorBody("body_timeout", e.getMessage()));
    }

    @ExceptionHandler(NotAcceptingWritesException.class)
    ResponseEntity<ErrorBody> notAcceptingWrites(NotAcceptingWritesException e) {
        return answer(HttpStatus.SERVICE_UNAVAILABLE, "not_accepting_writes", e.getMessage());
    }

    @ExceptionHandler(DiskFailureException.class)
    ResponseEntity<ErrorBody> diskFailure(DiskFailureException e) {
        return answer(HttpStatus.SERVICE_UNAVAILABLE, "disk_failed", e.getMessage());
    }
}
