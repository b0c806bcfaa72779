package io.hybridstore.common.blob;

/**
 * The name of an immutable blob on a storage node. Blob ids are the only names storage nodes ever see, and they
 * become file names there, so the alphabet is closed: letters, digits, '-', '_' and '.', never starting with '.',
 * which rules out "..", hidden files and any path separator.
 */
public record BlobId(String value) implements Comparable<BlobId> {

    public static final int MAX_LENGTH = 200;

    public BlobId {
        if (!isValid(value)) {
            throw new InvalidBlobIdException(value);
        }
    }

    /**
     * {@code [A-Za-z0-9_-][A-Za-z0-9._-]{0,199}}, checked by hand: every blob of every manifest read and every
     * request a node serves is checked, and a regex match cost more than the rest of building the id.
     */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || value.charAt(0) == '.') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
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
