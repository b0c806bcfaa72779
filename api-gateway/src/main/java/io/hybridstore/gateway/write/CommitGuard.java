package io.hybridstore.gateway.write;

import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.metadata.ManifestStore;

import java.util.Optional;

/**
 * What else must hold when a write commits, checked again before each commit attempt against the version that
 * attempt would replace: an S3 object's bucket must still exist, a conditional PUT's If-Match or If-None-Match must
 * hold. It throws the caller's refusal once it no longer holds; what it returns the commit is conditional on (and
 * removes).
 * Since every attempt is conditional on the version it checked, the check and the commit are one atomic step.
 */
@FunctionalInterface
public interface CommitGuard {

    CommitGuard NONE = current -> ManifestStore.Also.NOTHING;

    ManifestStore.Also check(Optional<Manifest> current);
}
