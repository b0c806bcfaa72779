package io.hybridstore.common.blob;

public final class InvalidBlobIdException extends IllegalArgumentException {

    public InvalidBlobIdException(String value) {
        super("invalid blob id: " + (value == null ? "null" : '"' + abbreviate(value) + '"')
                + " (1-" + BlobId.MAX_LENGTH + " of [A-Za-z0-9._-], not starting with '.')");
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...";
    }
}
