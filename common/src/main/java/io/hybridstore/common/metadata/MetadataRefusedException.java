package io.hybridstore.common.metadata;

/**
 * etcd answered and refused the request itself (gRPC {@code INVALID_ARGUMENT}: a request over its size limit, say).
 * Unlike {@link MetadataUnavailableException} the outcome is known — nothing changed — so a write aborts at once.
 */
public final class MetadataRefusedException extends RuntimeException {

    public MetadataRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
