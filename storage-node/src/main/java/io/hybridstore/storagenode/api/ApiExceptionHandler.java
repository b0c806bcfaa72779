package io.hybridstore.storagenode.api;

import io.hybridstore.common.blob.InvalidBlobIdException;
import io.hybridstore.storagenode.store.ChecksumMismatchException;
import io.hybridstore.storagenode.store.DiskFailureException;
import io.hybridstore.storagenode.store.NotAcceptingWritesException;
import io.hybridstore.storagenode.store.QueueFullException;
import io.hybridstore.web.ErrorBody;
import io.hybridstore.web.JsonErrors;
import org.apache.tomcat.util.http.InvalidParameterException;
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

    /** The node's own failures, as {@link NodeErrors} maps them for both transports. */
    @ExceptionHandler({InvalidBlobIdException.class, ChecksumMismatchException.class, BadRequestException.class,
            BlobNotFoundException.class, BlobTooLargeException.class, QueueFullException.class,
            OverloadedException.class, BodyTimeoutException.class, NotAcceptingWritesException.class,
            DiskFailureException.class})
    ResponseEntity<ErrorBody> nodeError(RuntimeException e) {
        NodeErrors.Answer answer = NodeErrors.of(e).orElseThrow(() -> e);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status());
        if (answer.retryAfter()) {
            response.header(HttpHeaders.RETRY_AFTER, "1");
        }
        // After a body timeout, what the sender still sends would only be read and thrown away.
        if (e instanceof BodyTimeoutException) {
            response.header(HttpHeaders.CONNECTION, "close");
        }
        return response.body(new ErrorBody(answer.code(), answer.detail()));
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
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

    @ExceptionHandler(NoResourceFoundException.class)
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
}
