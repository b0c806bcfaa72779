package io.hybridstore.healer.repair;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.OptionsUtil;
import io.hybridstore.common.etcd.EtcdCalls;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.MetadataUnavailableException;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.healer.status.HealerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pages of manifests for the sweeps that step over a manifest that cannot be read (logged and counted) instead of
 * failing on it: one bad value in etcd must not stop the repair of every object after it. A page that does not
 * decode is read again one manifest at a time, so only the bad one is passed over.
 */
final class ManifestPages {

    private static final Logger log = LoggerFactory.getLogger(ManifestPages.class);

    /** The readable manifests of a page, the etcd key it ended at (null: none) and how many keys it covered. */
    record Page(List<VersionedManifest> readable, String last, int read) {
    }

    private final ManifestStore manifests;
    private final KV kv;
    private final EtcdKeys keys;
    private final Duration timeout;
    private final HealerStats stats;

    ManifestPages(ManifestStore manifests, KV kv, EtcdKeys keys, Duration timeout, HealerStats stats) {
        this.manifests = manifests;
        this.kv = kv;
        this.keys = keys;
        this.timeout = timeout;
        this.stats = stats;
    }

    /** Up to {@code limit} manifests after the etcd key {@code after} (null: from the start). */
    Page next(String after, int limit) {
        try {
            List<VersionedManifest> page = manifests.scan(after, limit);
            return new Page(page, page.isEmpty() ? null : page.getLast().etcdKey(), page.size());
        } catch (MetadataUnavailableException e) {
            throw e;
        } catch (RuntimeException undecodable) {
            return oneByOne(after, limit);
        }
    }

    private Page oneByOne(String after, int limit) {
        List<VersionedManifest> readable = new ArrayList<>();
        String cursor = after;
        int read = 0;
        while (read < limit) {
            Optional<String> key = keyAfter(cursor);
            if (key.isEmpty()) {
                break;
            }
            try {
                readable.addAll(manifests.scan(cursor, 1));
            } catch (MetadataUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                log.warn("Skipping unreadable manifest {}: {}", key.get(), e.getMessage());
                stats.manifestUnreadable();
            }
            cursor = key.get();
            read++;
        }
        return new Page(readable, read == 0 ? null : cursor, read);
    }

    /** The etcd key of the manifest after {@code after}, read without its value. */
    private Optional<String> keyAfter(String after) {
        ByteSequence prefix = EtcdKeys.bytes(keys.objectsPrefix());
        ByteSequence from = after == null ? prefix : EtcdKeys.bytes(after + "\0");
        GetOption option = GetOption.builder().withRange(OptionsUtil.prefixEndOf(prefix)).withLimit(1)
                .withKeysOnly(true).build();
        return EtcdCalls.await(kv.get(from, option), timeout, "listing manifests").getKvs().stream()
                .findFirst().map(kv -> kv.getKey().toString(StandardCharsets.UTF_8));
    }
}
