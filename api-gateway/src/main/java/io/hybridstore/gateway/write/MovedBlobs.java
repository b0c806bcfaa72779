package io.hybridstore.gateway.write;

import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.gateway.wal.Intent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The blobs one write put on other nodes than it planned. Each is added to the write's intent before its put, and
 * an abort discards them with the planned ones.
 */
final class MovedBlobs implements PartWriter.Relocations {

    private final List<BlobRef> moved = new CopyOnWriteArrayList<>();
    private volatile Intent intent;

    /** The drafts are planned before the intent exists; nothing is put before this is called. */
    void bind(Intent intent) {
        this.intent = intent;
    }

    @Override
    public void announce(List<BlobRef> blobs) {
        intent.extend(blobs);
        moved.addAll(blobs);
    }

    List<BlobRef> all() {
        return List.copyOf(moved);
    }
}
