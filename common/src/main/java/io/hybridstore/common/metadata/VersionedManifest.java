package io.hybridstore.common.metadata;

import io.hybridstore.common.manifest.Manifest;

/** A manifest together with the etcd mod revision it was read at, which a conditional commit compares against. */
public record VersionedManifest(Manifest manifest, long modRevision, String etcdKey) {
}
