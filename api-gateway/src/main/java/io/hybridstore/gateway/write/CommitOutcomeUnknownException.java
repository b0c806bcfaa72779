package io.hybridstore.gateway.write;

import io.hybridstore.common.metadata.MetadataUnavailableException;

/**
 * etcd did not answer a commit (a write's conditional put, a delete's conditional delete), so it may or may not
 * have happened. Unlike a refusal, the client cannot assume nothing changed; the intent stays open for the healer.
 */
public final class CommitOutcomeUnknownException extends RuntimeException {

    public CommitOutcomeUnknownException(String operation, MetadataUnavailableException cause) {
        super("the outcome of " + operation + " is unknown: etcd did not answer its commit (" + cause.getMessage()
                + "); read the key to find out", cause);
    }
}
