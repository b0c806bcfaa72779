package io.hybridstore.gateway.read;

/** A projection asked for fields of a value that is not a JSON object (an S3 object of other bytes). */
public final class NotAnObjectException extends RuntimeException {

    public NotAnObjectException(String key) {
        super("'" + key + "' is not a JSON object, so it has no fields to project; read it without ?fields=");
    }
}
