package io.hybridstore.gateway.access;

import java.util.List;

/**
 * A client's access key: its id, and either root (everything, including the admin API) or the grants it holds.
 * The secret is not part of it; {@link AccessKeys} keeps it sealed.
 */
public record AccessKey(String id, boolean root, List<Grant> grants, long createdAt) {

    public AccessKey {
        grants = List.copyOf(grants);
        if (!root && grants.isEmpty()) {
            throw new IllegalArgumentException("a key that is not root needs at least one grant");
        }
    }

    /** Whether a request needing {@code needed} on {@code key} (a native key, or a listing's prefix) is allowed. */
    public boolean allows(String key, Access needed) {
        return root || grants.stream().anyMatch(grant -> grant.covers(key, needed));
    }

    /** Whether the key holds a grant on any object of {@code bucket}. */
    public boolean reaches(String bucket) {
        return root || grants.stream().anyMatch(grant -> grant.reaches(bucket));
    }
}
