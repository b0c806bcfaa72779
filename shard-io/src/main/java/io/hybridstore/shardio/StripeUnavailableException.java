package io.hybridstore.shardio;

/** Too few shards of a stripe could be read intact, or the decoded part does not match its SHA-256. */
public final class StripeUnavailableException extends RuntimeException {

    public StripeUnavailableException(String message) {
        super(message);
    }
}
