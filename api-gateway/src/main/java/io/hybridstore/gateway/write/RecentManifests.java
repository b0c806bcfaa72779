package io.hybridstore.gateway.write;

import io.hybridstore.common.metadata.VersionedManifest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The manifests this gateway committed last, each with the mod revision its commit gave it: the base of the next
 * merge of the key, read here instead of from etcd. nginx sends every write of a key to one gateway, so a key's next
 * write nearly always finds its manifest here, and a write then costs etcd one transaction instead of a read and a
 * transaction.
 *
 * <p>An entry may be stale (another gateway wrote the key after a failover, the healer moved a blob, a delete went
 * elsewhere). That costs nothing but a retry, never a wrong answer: every commit is conditional on the base's mod
 * revision, so one built over a stale base fails and the write reads etcd and goes again. Only decisions the commit
 * re-checks may be taken on an entry; a missing key is never concluded from here (absent means ask etcd).
 *
 * <p>Bounded by entries, least recently used out first; a manifest of many blobs (a large ec object) is not kept,
 * so the bound is one of memory too.
 */
public final class RecentManifests {

    /** Manifests of more blobs than this are not kept: 64 ec stripes of 1 MB, a few kilobytes of heap. */
    static final int MAX_BLOBS = 64 * 6;

    private final Map<String, VersionedManifest> entries;

    public RecentManifests(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VersionedManifest> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Optional<VersionedManifest> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    synchronized void committed(VersionedManifest stored) {
        if (stored.manifest().blobs().size() <= MAX_BLOBS) {
            entries.put(stored.manifest().key(), stored);
        } else {
            entries.remove(stored.manifest().key());
        }
    }

    /** The key changed in a way this gateway cannot describe (deleted, or a commit lost to another writer). */
    public synchronized void forget(String key) {
        entries.remove(key);
    }
}
