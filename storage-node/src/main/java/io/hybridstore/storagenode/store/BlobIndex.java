package io.hybridstore.storagenode.store;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory map from blob id to its current {@link IndexEntry}, sorted for paging. Every change goes through
 * here so that the blob count, the byte total and each segment's live bytes (which drive compaction) stay in step
 * with the map.
 */
final class BlobIndex {

    private final ConcurrentSkipListMap<String, IndexEntry> entries = new ConcurrentSkipListMap<>();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    IndexEntry get(String id) {
        return entries.get(id);
    }

    /** Installs {@code entry}, returning what it displaced. */
    IndexEntry put(String id, IndexEntry entry) {
        IndexEntry old = entries.put(id, entry);
        displaced(old);
        installed(entry);
        return old;
    }

    /** Installs {@code replacement} only if {@code expected} is still current: a later put or delete wins. */
    boolean replace(String id, IndexEntry expected, IndexEntry replacement) {
        if (!entries.replace(id, expected, replacement)) {
            return false;
        }
        displaced(expected);
        installed(replacement);
        return true;
    }

    IndexEntry remove(String id) {
        IndexEntry old = entries.remove(id);
        displaced(old);
        return old;
    }

    boolean remove(String id, IndexEntry expected) {
        if (!entries.remove(id, expected)) {
            return false;
        }
        displaced(expected);
        return true;
    }

    /** Entries with ids strictly after {@code after} (all when null), in id order. */
    Iterator<Map.Entry<String, IndexEntry>> after(String after) {
        return (after == null ? entries : entries.tailMap(after, false)).entrySet().iterator();
    }

    long count() {
        return count.get();
    }

    long bytes() {
        return bytes.get();
    }

    private void installed(IndexEntry entry) {
        count.incrementAndGet();
        bytes.addAndGet(entry.length());
        if (entry instanceof IndexEntry.Stored stored) {
            stored.segment().addLive(stored.recordLength());
        }
    }

    private void displaced(IndexEntry old) {
        if (old == null) {
            return;
        }
        count.decrementAndGet();
        bytes.addAndGet(-old.length());
        if (old instanceof IndexEntry.Stored stored) {
            stored.segment().addLive(-stored.recordLength());
        }
    }
}
