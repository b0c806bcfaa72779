package io.hybridstore.gateway.api;

import io.hybridstore.common.metadata.MetadataRefusedException;
import io.hybridstore.common.metadata.MetadataUnavailableException;
import io.hybridstore.common.placement.InsufficientNodesException;
import io.hybridstore.gateway.access.AccessDeniedException;
import io.hybridstore.gateway.access.UnauthenticatedException;
import io.hybridstore.gateway.memory.OverloadedException;
import io.hybridstore.gateway.read.NotAnObjectException;
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
 * The one place where the gateway's exceptions become HTTP answers, always as {@link ErrorBody}. The object calls
 * are answered before Spring MVC ({@link ObjectApi}), so their table is a plain function; the calls MVC serves (the
 * status calls, unknown routes) get the refusals below and the shared last resort of {@link JsonErrors}.
 */
@RestControllerAdvice
class ApiErrors extends JsonErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    record Answer(HttpStatus status, String error, String detail) {

        ErrorBody body() {
            return new ErrorBody(error, detail);
        }
    }

    /** The answer to an object call that failed with {@code e}, logged as the failure deserves. */
    static Answer of(RuntimeException e) {
        return switch (e) {
            case ApiException refused -> new Answer(refused.status(), refused.error(), refused.getMessage());
            case UncheckedIOException unreadable -> {
                // The client stopped sending its body, or sent less than it declared; the write reading it was aborted.
                log.info("Write aborted, its body could not be read: {}", unreadable.getCause().toString());
                yield new Answer(HttpStatus.BAD_REQUEST, "unreadable_body",
                        unreadable.getMessage() + ": " + unreadable.getCause().getMessage());
            }
            // Tomcat decodes the query string only when a parameter is first asked for, so this surfaces in the call.
            case InvalidParameterException undecodable -> new Answer(HttpStatus.BAD_REQUEST, "invalid_parameter",
                    "the query string is not valid percent-encoded UTF-8");
            case UnauthenticatedException unauthenticated -> new Answer(HttpStatus.UNAUTHORIZED, "unauthenticated",
                    unauthenticated.getMessage());
            case AccessDeniedException denied -> {
                log.info("Access denied: {}", denied.getMessage());
                yield new Answer(HttpStatus.FORBIDDEN, "access_denied", denied.getMessage());
            }
            case NotAnObjectException notAnObject -> new Answer(HttpStatus.BAD_REQUEST, "not_a_json_object",
                    notAnObject.getMessage());
            case ObjectNotFoundException notFound -> new Answer(HttpStatus.NOT_FOUND, "not_found", notFound.getMessage());
            case WriteConflictException conflict -> {
                log.info("Write conflict: {}", conflict.getMessage());
                yield new Answer(HttpStatus.CONFLICT, "write_conflict", conflict.getMessage());
            }
            // A refusal, not a lost race: the same request would be refused again.
            case HotOnlyRefusedException refused -> new Answer(HttpStatus.CONFLICT, "hot_only_cold_mismatch",
                    refused.getMessage());
            case ValueTooLargeException tooLarge -> new Answer(HttpStatus.CONTENT_TOO_LARGE, "value_too_large",
                    tooLarge.getMessage());
            case TooManyFieldsException tooMany -> new Answer(HttpStatus.UNPROCESSABLE_CONTENT, "too_many_fields",
                    tooMany.getMessage());
            // etcd answered and refused the commit: nothing changed, so this is no unknown outcome.
            case MetadataRefusedException refused -> {
                log.warn("etcd refused a request: {}", refused.getMessage());
                yield new Answer(HttpStatus.UNPROCESSABLE_CONTENT, "metadata_refused",
                        refused.getMessage() + "; nothing was changed");
            }
            case QuorumException belowQuorum -> unavailable("Write refused below quorum", belowQuorum,
                    "write_quorum_not_reached");
            case WriteRolledBackException rolledBack -> unavailable("Write rolled back by the healer", rolledBack,
                    "write_rolled_back");
            case InsufficientNodesException tooFew -> unavailable("Write refused", tooFew, "insufficient_nodes");
            case LogUnavailableException noLog -> unavailable("Log unavailable", noLog, "log_unavailable");
            // Not a refusal: the change may have happened, so the answer says so rather than claiming it did not.
            case CommitOutcomeUnknownException unknown -> {
                log.warn("Commit outcome unknown: {}", unknown.getMessage());
                yield new Answer(HttpStatus.GATEWAY_TIMEOUT, "commit_outcome_unknown", unknown.getMessage());
            }
            case MetadataUnavailableException noEtcd -> unavailable("Metadata unavailable", noEtcd,
                    "metadata_unavailable");
            case OverloadedException overloaded -> {
                log.info("Request refused, memory budget full: {}", overloaded.getMessage());
                yield new Answer(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", overloaded.getMessage());
            }
            case ObjectUnavailableException unavailable -> new Answer(HttpStatus.SERVICE_UNAVAILABLE,
                    "object_unavailable", unavailable.getMessage());
            default -> {
                log.error("Unexpected error", e);
                yield new Answer(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                        "unexpected " + e.getClass().getSimpleName() + "; see the service log");
            }
        };
    }

    private static Answer unavailable(String what, RuntimeException e, String error) {
        log.warn("{}: {}", what, e.getMessage());
        return new Answer(HttpStatus.SERVICE_UNAVAILABLE, error, e.getMessage());
    }

    /** The admin API's refusals, in the same words as the object calls'. */
    @ExceptionHandler({UnauthenticatedException.class, AccessDeniedException.class})
    ResponseEntity<ErrorBody> refused(RuntimeException e) {
        Answer answer = of(e);
        return answer(answer.status(), answer.error(), answer.detail());
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
