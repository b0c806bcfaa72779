package io.hybridstore.gateway.write;

import io.hybridstore.common.manifest.Manifest;

import java.util.List;

/**
 * What a committed write did.
 *
 * @param manifest     the committed manifest
 * @param nodesWritten URLs of the nodes that acknowledged a blob of this write
 * @param partial      true when some planned blobs were not acknowledged (quorum was still met; the healer fills in)
 */
public record WriteOutcome(Manifest manifest, List<String> nodesWritten, boolean partial) {
}
