package io.hybridstore.gateway.read;

import io.hybridstore.common.manifest.Manifest;

/** A committed version's manifest and its value, byte for byte as written. */
public record StoredObject(Manifest manifest, byte[] value) {
}
