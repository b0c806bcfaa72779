package io.hybridstore.gateway.access;

/** A request without the credentials it needs, or with credentials that do not hold: 401, nothing changed. */
public final class UnauthenticatedException extends RuntimeException {

    private final String reason;

    /** @param reason the tag of the refusal metric: missing, malformed, unknown-key, bad-secret */
    public UnauthenticatedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
