package io.hybridstore.gateway.api;

import io.hybridstore.common.metadata.MetadataRefusedException;
import io.hybridstore.common.metadata.MetadataUnavailableException;
import io.hybridstore.common.placement.InsufficientNodesException;
import io.hybridstore.gateway.memory.OverloadedException;
import io.hybridstore.gateway.read.ObjectNotFoundException;
import io.hybridstore.gateway.read.ObjectUnavailableException;
import io.hybridstore.gateway.wal.LogUnavailableException;
import io.hybridstore.gateway.write.CommitOutcomeUnknownException;
import io.hybridstore.gateway.write.HotOnlyRefusedException;
import io.hybridstore.gateway.write.QuorumException;
import io.hybridstore.gateway.write.TooManyFieldsException;
import io.hybridstore.gateway.write.ValueTooLargeException;
import io.hybridstore.gateway.write.WriteConflictException;
import io.hybridstore.gateway.write.WriteRolledBackException;
import io.hybridstore.web.ErrorBody;
import io.hybridstore.web.JsonErrors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.io.UncheckedIOException;

/**
 * The one place where the gateway's exceptions become HTTP answers, always as {@link ErrorBody}; what it leaves
 * unmapped gets the shared last resort of {@link JsonErrors}.
 */
@RestControllerAdvice
class ApiErrors extends JsonErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler
    ResponseEntity<ErrorBody> invalidRequest(ApiException e) {
        return answer(e.status(), e.error(), e.getMessage());
    }

    /** The client stopped sending its body, or sent less than it declared; a write reading it was aborted. */
    @ExceptionHandler
    ResponseEntity<ErrorBody> unreadableBody(UncheckedIOException e) {
        log.info("Write aborted, its body could not be read: {}", e.getCause().toString());
        return answer(HttpStatus.BAD_REQUEST, "unreadable_body", e.getMessage() + ": " + e.getCause().getMessage());
    }

    /** Tomcat decodes the query string only when a parameter is first asked for, so this surfaces in the handler. */
    @ExceptionHandler
    ResponseEntity<ErrorBody> undecodableQuery(InvalidParameterException e) {
        return answer(HttpStatus.BAD_REQUEST, "invalid_parameter", "the query string is not valid percent-encoded UTF-8");
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> notFound(ObjectNotFoundException e) {
        return answer(HttpStatus.NOT_FOUND, "not_found", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> conflict(WriteConflictException e) {
        log.info("Write conflict: {}", e.getMessage());
        return answer(HttpStatus.CONFLICT, "write_conflict", e.getMessage());
    }

    /** A refusal, not a lost race: the same request would be refused again. */
    @ExceptionHandler
    ResponseEntity<ErrorBody> hotOnlyRefused(HotOnlyRefusedException e) {
        return answer(HttpStatus.CONFLICT, "hot_only_cold_mismatch", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> mergedTooLarge(ValueTooLargeException e) {
        return answer(HttpStatus.CONTENT_TOO_LARGE, "value_too_large", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> tooManyFields(TooManyFieldsException e) {
        return answer(HttpStatus.UNPROCESSABLE_CONTENT, "too_many_fields", e.getMessage());
    }

    /** etcd answered and refused the commit: nothing changed, so this is no unknown outcome. */
    @ExceptionHandler
    ResponseEntity<ErrorBody> metadataRefused(MetadataRefusedException e) {
        log.warn("etcd refused a request: {}", e.getMessage());
        return answer(HttpStatus.UNPROCESSABLE_CONTENT, "metadata_refused",
                e.getMessage() + "; nothing was changed");
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> belowQuorum(QuorumException e) {
        log.warn("Write refused below quorum: {}", e.getMessage());
        return answer(HttpStatus.SERVICE_UNAVAILABLE, "write_quorum_not_reached", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> rolledBack(WriteRolledBackException e) {
        log.warn("Write rolled back by the healer: {}", e.getMessage());
        return answer(HttpStatus.SERVICE_UNAVAILABLE, "write_rolled_back", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> tooFewNodes(InsufficientNodesException e) {
        log.warn("Write refused: {}", e.getMessage());
        return answer(HttpStatus.SERVICE_UNAVAILABLE, "insufficient_nodes", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> logUnavailable(LogUnavailableException e) {
        log.warn("Log unavailable: {}", e.getMessage());
        return answer(HttpStatus.SERVICE_UNAVAILABLE, "log_unavailable", e.getMessage());
    }

    /** Not a refusal: the change may have happened, so the answer says so rather than claiming it did not. */
    @ExceptionHandler
    ResponseEntity<ErrorBody> outcomeUnknown(CommitOutcomeUnknownException e) {
        log.warn("Commit outcome unknown: {}", e.getMessage());
        return answer(HttpStatus.GATEWAY_TIMEOUT, "commit_outcome_unknown", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> metadataUnavailable(MetadataUnavailableException e) {
        log.warn("Metadata unavailable: {}", e.getMessage());
        return answer(HttpStatus.SERVICE_UNAVAILABLE, "metadata_unavailable", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> overloaded(OverloadedException e) {
        log.info("Request refused, memory budget full: {}", e.getMessage());
        return answer(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> objectUnavailable(ObjectUnavailableException e) {
        return answer(HttpStatus.SERVICE_UNAVAILABLE, "object_unavailable", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> noSuchRoute(NoResourceFoundException e) {
        return answer(HttpStatus.NOT_FOUND, "no_such_route", "no API call at /" + e.getResourcePath());
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> wrongMethod(HttpRequestMethodNotSupportedException e) {
        return answer(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ErrorBody> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return answer(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "responses are application/json");
    }

}
