package io.hybridstore.common.manifest;

/** A blob on a named node; the unit of placement, deletion and repair. */
public record BlobRef(String node, String blob) {
}
