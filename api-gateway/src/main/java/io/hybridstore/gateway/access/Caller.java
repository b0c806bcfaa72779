package io.hybridstore.gateway.access;

import jakarta.servlet.ServletRequest;

/**
 * Who made a request: the access key it proved, or nobody (an anonymous request, accepted only with
 * {@code hybridstore.gateway.auth=none}, which may do everything the original API allowed).
 */
public record Caller(AccessKey key) {

    public static final Caller ANONYMOUS = new Caller(null);
    private static final String ATTRIBUTE = Caller.class.getName();

    /** The caller the authentication filter found for this request; anonymous when it set none. */
    public static Caller of(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof Caller caller ? caller : ANONYMOUS;
    }

    void attachTo(ServletRequest request) {
        request.setAttribute(ATTRIBUTE, this);
    }

    public boolean anonymous() {
        return key == null;
    }

    public String name() {
        return key == null ? "anonymous" : key.id();
    }

    /**
     * @throws AccessDeniedException when the caller's key holds no grant for {@code needed} on {@code key}
     */
    public void require(String key, Access needed) {
        if (this.key != null && !this.key.allows(key, needed)) {
            throw new AccessDeniedException("access key " + this.key.id() + " may not "
                    + (needed == Access.READ ? "read" : "write") + " '" + key + "'");
        }
    }

    /**
     * @throws AccessDeniedException when the caller's key holds no grant on any object of {@code bucket}
     */
    public void requireReach(String bucket) {
        if (!reaches(bucket)) {
            throw new AccessDeniedException("access key " + key.id() + " holds no grant in bucket '" + bucket + "'");
        }
    }

    /** Whether the caller sees {@code bucket} in a listing of buckets. */
    public boolean reaches(String bucket) {
        return key == null || key.reaches(bucket);
    }

    /**
     * @throws UnauthenticatedException when anonymous: the admin API always needs a key
     * @throws AccessDeniedException    when the key is not root
     */
    public void requireRoot(String what) {
        if (key == null) {
            throw new UnauthenticatedException("missing", what + " needs a root access key: send "
                    + "'Authorization: Bearer <access key>:<secret key>'");
        }
        if (!key.root()) {
            throw new AccessDeniedException("access key " + key.id() + " is not root; " + what + " needs a root key");
        }
    }
}
