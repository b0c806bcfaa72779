package io.hybridstore.common.metadata;

/**
 * etcd could not be asked or did not answer in time. For a commit the outcome is then unknown: the caller must
 * neither report success nor clean up, and leaves the intent open for the healer to settle.
 */
public final class MetadataUnavailableException extends RuntimeException {

    public MetadataUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
