package io.hybridstore.storagenode.api;

/** The blob is absent, or present but failing its CRC32C (which is the same thing to a reader). */
final class BlobNotFoundException extends RuntimeException {

    BlobNotFoundException(String id) {
        super("no intact blob " + id + " on this node");
    }
}
