package io.hybridstore.gateway.write;

/** A {@code field_hybrid} object whose top-level field names would not fit in its manifest. */
public final class TooManyFieldsException extends RuntimeException {

    TooManyFieldsException(int fields, long bytes, long maxBytes) {
        super("the object's " + fields + " top-level field names take " + bytes + " bytes in its manifest, over the "
                + "limit of " + maxBytes + " (max-field-names-size); nest fields, or use replication or ec");
    }
}
