package io.hybridstore.healer.rollback;

import io.hybridstore.common.manifest.BlobRef;

import java.time.Instant;
import java.util.Set;

/**
 * The blobs of every intent open when the consumer had read the whole log, at {@code caughtUpAt}. Garbage
 * collection may only trust a snapshot taken after it started: an older one could miss a write begun since.
 */
public record OpenIntents(Instant caughtUpAt, Set<BlobRef> blobs) {

    public OpenIntents {
        blobs = Set.copyOf(blobs);
    }
}
