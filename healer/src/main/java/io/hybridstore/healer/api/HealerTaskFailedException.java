package io.hybridstore.healer.api;

/** The pass or scrub cycle a request waited for failed; {@link #error()} names which. */
final class HealerTaskFailedException extends RuntimeException {

    private final String error;

    HealerTaskFailedException(String what, Throwable cause) {
        super(what + " failed: " + cause, cause);
        this.error = what.replace(' ', '_') + "_failed";
    }

    String error() {
        return error;
    }
}
