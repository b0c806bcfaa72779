package io.hybridstore.storagenode.api;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.blob.InvalidBlobIdException;
import io.hybridstore.storagenode.store.ChecksumMismatchException;
import io.hybridstore.storagenode.store.DiskFailureException;
import io.hybridstore.storagenode.store.NotAcceptingWritesException;
import io.hybridstore.storagenode.store.QueueFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import java.util.Optional;

/**
 * The node's own failures as answers, one table for both transports: the HTTP API's exception advice and the blob
 * protocol's handler answer from it.
 */
final class NodeErrors {

    private static final Logger log = LoggerFactory.getLogger(NodeErrors.class);

    /** {@code retryAfter}: overload rather than failure; the client retries after a moment or goes elsewhere. */
    record Answer(HttpStatus status, String code, String detail, boolean retryAfter) {
    }

    private NodeErrors() {
    }

    static Optional<Answer> of(RuntimeException e) {
        String detail = e.getMessage();
        return Optional.ofNullable(switch (e) {
            case ClusterAuth.UnauthenticatedException x ->
                    new Answer(HttpStatus.UNAUTHORIZED, "unauthenticated", detail, false);
            case InvalidBlobIdException x -> new Answer(HttpStatus.BAD_REQUEST, "invalid_blob_id", detail, false);
            case ChecksumMismatchException x -> {
                log.warn("Refused a put: {}", detail);
                yield new Answer(HttpStatus.BAD_REQUEST, "checksum_mismatch", detail, false);
            }
            case BadRequestException x -> new Answer(HttpStatus.BAD_REQUEST, "bad_request", detail, false);
            case BlobNotFoundException x -> new Answer(HttpStatus.NOT_FOUND, "not_found", detail, false);
            case BlobTooLargeException x -> new Answer(HttpStatus.CONTENT_TOO_LARGE, "blob_too_large", detail, false);
            case QueueFullException x -> new Answer(HttpStatus.SERVICE_UNAVAILABLE, "queue_full", detail, true);
            case OverloadedException x -> new Answer(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", detail, true);
            case BodyTimeoutException x -> new Answer(HttpStatus.REQUEST_TIMEOUT, "body_timeout", detail, false);
            case NotAcceptingWritesException x ->
                    new Answer(HttpStatus.SERVICE_UNAVAILABLE, "not_accepting_writes", detail, false);
            case DiskFailureException x -> new Answer(HttpStatus.SERVICE_UNAVAILABLE, "disk_failed", detail, false);
            default -> null;
        });
    }
}
