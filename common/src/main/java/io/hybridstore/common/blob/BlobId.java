package io.hybridstore.common.blob;

import java.util.regex.Pattern;

/**
 * The name of an immutable blob on a storage node. Blob ids are the only names storage nodes ever see, and they
 * become file names there, so the alphabet is closed: letters, digits, '-', '_' and '.', never starting with '.',
 * which rules out "..", hidden files and any path separator.
 */
public record BlobId(String value) implements Comparable<BlobId> {

    public static final int MAX_LENGTH = 200;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    public BlobId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new InvalidBlobIdException(value);
        }
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    /** The blob holding replica or shard {@code index} of one part ("hot", "cold", "data") of a version. */
    public static BlobId of(String versionId, String part, int index) {
        return new BlobId(versionId + "." + part + "." + index);
    }

    @Override
    public int compareTo(BlobId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
