package io.hybridstore.gateway.write;

import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.metadata.VersionedManifest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One strategy's share of a write: which blobs it may create, writing them, and the manifest to commit over
 * whatever version is current at commit time. The protocol around it — intent, quorum, conditional commit,
 * cleanup — is the same for every strategy and lives in {@link WriteCoordinator}.
 */
interface Draft {

    /** Every blob this write may create, listed in the intent before any is written. */
    List<BlobRef> plannedBlobs();

    /** Writes the parts that do not depend on the current version. Throws {@link QuorumException} below quorum. */
    void writeParts();

    /**
     * The manifest to commit if {@code current} is still current. May write more (a cold part that can no longer
     * be reused) or refuse with {@link HotOnlyRefusedException}.
     */
    Manifest manifestOver(Optional<VersionedManifest> current);

    /** The strategy-specific fields of the answer, once committed. */
    Map<String, Object> details();
}
