package io.hybridstore.healer.api;

import io.hybridstore.healer.leadership.TooManyWaitingException;
import io.hybridstore.web.ErrorBody;
import io.hybridstore.web.JsonErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one mapping from the healer's exceptions to HTTP answers, every body an {@link ErrorBody}; what it leaves
 * unmapped (a bad {@code wait}, an unknown route) gets the shared handling of {@link JsonErrors}.
 */
@RestControllerAdvice
class HealerErrors extends JsonErrors {

    private static final Logger log = LoggerFactory.getLogger(HealerErrors.class);

    @ExceptionHandler
    ResponseEntity<ErrorBody> notLeader(NotLeaderException e) {
        return answer(HttpStatus.CONFLICT, "not_leader", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> tooManyWaiting(TooManyWaitingException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, "5")
                .body(new ErrorBody("too_many_requests", e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> waitExpired(WaitExpiredException e) {
        return answer(HttpStatus.GATEWAY_TIMEOUT, "timeout", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> taskFailed(HealerTaskFailedException e) {
        log.error("{}", e.getMessage(), e.getCause());
        return answer(HttpStatus.INTERNAL_SERVER_ERROR, e.error(), e.getMessage());
    }
}
