package io.hybridstore.healer.gc;

import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.node.BlobStat;

import java.util.Set;

/**
 * A blob is garbage when no manifest and no open intent names it on that node, and it was created before the
 * cut-off (the open-intent snapshot's time minus the grace period). Any write that could still commit it either
 * was open in that snapshot or began after it, and so created its blobs after the cut-off.
 */
final class GarbageRule {

    private GarbageRule() {
    }

    static boolean isGarbage(String nodeId, BlobStat blob, Set<BlobRef> referenced, Set<BlobRef> open,
                             long cutoffMillis) {
        BlobRef ref = new BlobRef(nodeId, blob.id());
        return blob.createdAt() > 0 && blob.createdAt() < cutoffMillis
                && !referenced.contains(ref) && !open.contains(ref);
    }
}
