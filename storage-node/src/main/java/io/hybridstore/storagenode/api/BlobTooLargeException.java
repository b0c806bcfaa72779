package io.hybridstore.storagenode.api;

/** A put's body exceeds {@code max-blob-size}; answered 413. */
final class BlobTooLargeException extends RuntimeException {

    BlobTooLargeException(long maxBytes) {
        super("blob larger than the maximum of " + maxBytes + " bytes");
    }
}
