package io.hybridstore.healer.rollback;

import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.wal.WalRecord;

import java.util.List;
import java.util.Optional;

/**
 * How a stalled intent is settled, from what etcd says now. The rule never deletes a blob the current manifest
 * references: a committed {@code field_hybrid} version's cold blobs may be reused by the version after it.
 * <ul>
 *   <li>WRITE whose version is the committed one: it did commit; close it as COMMITTED, delete nothing.</li>
 *   <li>Any other WRITE: it never committed, or was displaced since; delete its blobs, close it as ABORTED.</li>
 *   <li>DELETE whose version is still committed: the manifest was not removed; close it as ABORTED.</li>
 *   <li>Any other DELETE: the manifest is gone; finish deleting the listed blobs, close it as COMMITTED.</li>
 * </ul>
 */
final class ZombieRule {

    private ZombieRule() {
    }

    record Settlement(WalRecord.Type outcome, List<BlobRef> delete) {
    }

    static Settlement settle(WalRecord pending, Optional<Manifest> current) {
        boolean versionCommitted = current.map(m -> m.version().equals(pending.version())).orElse(false);
        List<BlobRef> referenced = current.map(Manifest::blobs).orElse(List.of());
        List<BlobRef> unreferenced = pending.blobs().stream().filter(b -> !referenced.contains(b)).toList();
        return switch (pending.operation()) {
            case WRITE -> versionCommitted
                    ? new Settlement(WalRecord.Type.COMMITTED, List.of())
                    : new Settlement(WalRecord.Type.ABORTED, unreferenced);
            case DELETE -> versionCommitted
                    ? new Settlement(WalRecord.Type.ABORTED, List.of())
                    : new Settlement(WalRecord.Type.COMMITTED, unreferenced);
        };
    }
}
