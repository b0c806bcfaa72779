package io.hybridstore.gateway.write;

import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.metadata.VersionedManifest;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The manifests this gateway committed last, each with the mod revision its commit gave it, and for a small value a
 * merge wrote, the value itself: the base of the key's next write, read here instead of from etcd (and the storage
 * nodes). nginx sends every write of a key to one gateway, so a key's next write nearly always finds its manifest
 * here, and a write then costs etcd one transaction instead of a read and a transaction.
 *
 * <p>An entry may be stale (another gateway wrote the key after a failover, the healer moved a blob, a delete went
 * elsewhere). That costs nothing but a retry, never a wrong answer: every commit is conditional on the base's mod
 * revision, so one built over a stale base fails and the write reads etcd and goes again. A value is the one of its
 * entry's version, blobs being immutable, so it is exactly as current as the manifest it came with. Only decisions
 * the commit re-checks may be taken on an entry; a missing key is never concluded from here (absent means ask etcd).
 *
 * <p>Bounded by entries, least recently used out first; a manifest of many blobs (a large ec object) is not kept,
 * and values are kept up to {@link #MAX_VALUE} each and {@link #MAX_VALUES} in all, so the bound is one of memory.
 */
public final class RecentManifests {

    /** Manifests of more blobs than this are not kept: 64 ec stripes of 1 MB, a few kilobytes of heap. */
    static final int MAX_BLOBS = 64 * 6;
    /** Values above this are read from the nodes: a merge of a large value spends its time on the blobs anyway. */
    static final int MAX_VALUE = 16 * 1024;
    /** Bytes of values kept in all, values of the least recently used entries dropped first. */
    static final long MAX_VALUES = 16L * 1024 * 1024;

    private record Recent(VersionedManifest manifest, byte[] value) {
    }

    private final Map<String, Recent> entries;
    private long valueBytes;

    public RecentManifests(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Recent> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                valueBytes -= length(eldest.getValue());
                return true;
            }
        };
    }

    synchronized Optional<VersionedManifest> get(String key) {
        return Optional.ofNullable(entries.get(key)).map(Recent::manifest);
    }

    /** The value of {@code base}, when the entry of its key is still that manifest and came with its value. */
    synchronized Optional<byte[]> value(VersionedManifest base) {
        Recent entry = entries.get(base.manifest().key());
        return entry == null || entry.value() == null || !same(entry.manifest(), base)
                ? Optional.empty() : Optional.of(entry.value());
    }

    synchronized void committed(VersionedManifest stored) {
        String key = stored.manifest().key();
        forget(key);
        if (stored.manifest().blobs().size() <= MAX_BLOBS) {
            entries.put(key, new Recent(stored, null));
        }
    }

    /**
     * Keeps {@code value} with the entry of {@code committed} (the manifest a merge just committed, whose whole
     * value it is), unless the entry moved on meanwhile or the value is too large. The array is kept as it is:
     * nothing writes to a value's bytes once they are a write's body.
     */
    synchronized void committedValue(Manifest committed, byte[] value) {
        Recent entry = entries.get(committed.key());
        if (entry == null || entry.value() != null || value.length > MAX_VALUE
                || !entry.manifest().manifest().version().equals(committed.version())) {
            return;
        }
        entries.put(committed.key(), new Recent(entry.manifest(), value));
        valueBytes += value.length;
        Iterator<Map.Entry<String, Recent>> eldest = entries.entrySet().iterator();
        while (valueBytes > MAX_VALUES && eldest.hasNext()) {
            Map.Entry<String, Recent> next = eldest.next();
            if (next.getValue().value() != null) {
                valueBytes -= next.getValue().value().length;
                next.setValue(new Recent(next.getValue().manifest(), null));
            }
        }
    }

    /** The key changed in a way this gateway cannot describe (deleted, or a commit lost to another writer). */
    public synchronized void forget(String key) {
        valueBytes -= length(entries.remove(key));
    }

    private static boolean same(VersionedManifest a, VersionedManifest b) {
        return a.modRevision() == b.modRevision() && a.manifest().version().equals(b.manifest().version());
    }

    private static long length(Recent entry) {
        return entry == null || entry.value() == null ? 0 : entry.value().length;
    }
}
