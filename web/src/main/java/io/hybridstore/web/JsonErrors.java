package io.hybridstore.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * What every service's one exception advice shares: the {@link ErrorBody} answer, and the last resort for
 * exceptions the service maps to nothing more specific. Each service extends it with a {@code @RestControllerAdvice}
 * holding its own exception-to-status mapping; Spring picks the closest exception type within that one advice, so
 * the handlers here answer only what the service left unmapped.
 */
public abstract class JsonErrors {

    private static final Logger log = LoggerFactory.getLogger(JsonErrors.class);

    protected static ResponseEntity<ErrorBody> answer(HttpStatusCode status, String error, String detail) {
        return ResponseEntity.status(status).body(new ErrorBody(error, detail));
    }

    /**
     * Spring MVC's own refusals carry their status (404 no route, 405, 415, a missing parameter...) and keep it;
     * a parameter of the wrong type or an unreadable body is the client's mistake, so 400. Anything else is a bug:
     * 500 {@code internal_error}, logged with its stack trace, which the client is never sent. A client that went
     * away mid-answer, or an answer the service cut off on purpose (a streamed read that failed after its first
     * bytes), is no error to report and has nobody left to answer: rethrown untouched, so Tomcat closes the
     * connection and the client sees a short body rather than an error appended to a committed one.
     */
    @ExceptionHandler
    public ResponseEntity<ErrorBody> unmapped(Exception e) throws Exception {
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            log.debug("Answer cut off: {}", e.toString());
            throw e;
        }
        if (e instanceof ErrorResponse refusal) {
            HttpStatusCode status = refusal.getStatusCode();
            return answer(status, ErrorBody.codeFor(status.value()), e.getMessage());
        }
        if (e instanceof TypeMismatchException || e instanceof HttpMessageNotReadableException) {
            return answer(HttpStatus.BAD_REQUEST, "bad_request", e.getMessage());
        }
        log.error("Unexpected error", e);
        return answer(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "unexpected " + e.getClass().getSimpleName() + "; see the service log");
    }
}
