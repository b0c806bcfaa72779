package io.hybridstore.gateway.write;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per key with work waiting on it, gone when nobody holds or waits for it: merges of one key inside a
 * gateway run one after another instead of racing each other's conditional commits and retrying (and, after
 * {@code commit-retries}, failing with 409). nginx sends every write of a key to the same gateway, so this orders
 * nearly all concurrent merges of a key; a race across gateways (after a failover) is still settled by the commit.
 * Per key, not striped: a slow merge holds up only merges of its own key.
 */
final class KeyLocks {

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock(true);
        int users;
    }

    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

    <T> T withLock(String key, Supplier<T> work) {
        Entry entry = entries.compute(key, (k, existing) -> {
            Entry e = existing == null ? new Entry() : existing;
            e.users++;
            return e;
        });
        entry.lock.lock();
        try {
            return work.get();
        } finally {
            entry.lock.unlock();
            entries.computeIfPresent(key, (k, e) -> --e.users == 0 ? null : e);
        }
    }

    /** Keys with a merge running or waiting. */
    int size() {
        return entries.size();
    }
}
