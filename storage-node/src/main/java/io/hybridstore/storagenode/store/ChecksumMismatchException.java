package io.hybridstore.storagenode.store;

/** A put's body does not match the CRC32C its sender declared: it was damaged on the way and is not stored. */
public final class ChecksumMismatchException extends RuntimeException {

    ChecksumMismatchException(String id, long declared, long actual) {
        super("blob " + id + ": declared CRC32C " + declared + " but the body's is " + actual);
    }
}
