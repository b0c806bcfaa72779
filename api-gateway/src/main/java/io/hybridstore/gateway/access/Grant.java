package io.hybridstore.gateway.access;

/**
 * A right under a key prefix of the native key space. An S3 object {@code k} of bucket {@code b} is native key
 * {@code b/k}, so a bucket grant is the prefix {@code b/}: one rule serves both APIs, and a key limited to a bucket
 * reaches the same objects through either. The empty prefix is every key.
 */
public record Grant(String prefix, Access access) {

    public Grant {
        if (prefix == null) {
            throw new IllegalArgumentException("a grant needs a prefix (\"\" for every key)");
        }
        if (access == null) {
            throw new IllegalArgumentException("a grant needs an access: 'read' or 'read-write'");
        }
    }

    /** The grant of a whole bucket. */
    public static Grant bucket(String bucket, Access access) {
        return new Grant(bucket + "/", access);
    }

    /** Whether it lets a request needing {@code needed} touch {@code key} (or list the keys starting with it). */
    boolean covers(String key, Access needed) {
        return key.startsWith(prefix) && access.covers(needed);
    }

    /** Whether any key of {@code bucket} is under it, so that the bucket is shown to its holder. */
    boolean reaches(String bucket) {
        String root = bucket + "/";
        return root.startsWith(prefix) || prefix.startsWith(root);
    }
}
