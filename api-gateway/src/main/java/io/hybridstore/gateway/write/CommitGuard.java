package io.hybridstore.gateway.write;

import io.hybridstore.common.metadata.ManifestStore;

import java.util.Optional;

/**
 * What else must still hold when a write commits (an S3 object's bucket must still exist), read again before each
 * commit attempt; it throws the caller's refusal once it no longer holds.
 */
@FunctionalInterface
public interface CommitGuard {

    CommitGuard NONE = Optional::empty;

    Optional<ManifestStore.Unchanged> current();
}
