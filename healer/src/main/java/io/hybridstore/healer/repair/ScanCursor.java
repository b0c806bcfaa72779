package io.hybridstore.healer.repair;

import io.etcd.jetcd.KV;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.metadata.MetadataUnavailableException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where a sweep over the manifests got to, kept in etcd ({@code <prefix>healer/repair-cursor} for the repair scan,
 * {@code healer/scrub-cursor} for the scrub) so that a healer that takes over from a dead leader continues the
 * sweep instead of starting it again.
 */
final class ScanCursor {

    private final KV kv;
    private final String key;
    private final Duration timeout;

    ScanCursor(KV kv, EtcdKeys keys, String name, Duration timeout) {
        this.kv = kv;
        this.key = keys.prefix() + "healer/" + name;
        this.timeout = timeout;
    }

    Optional<String> load() {
        return await(kv.get(EtcdKeys.bytes(key))).getKvs().stream().findFirst()
                .map(kv -> kv.getValue().toString(StandardCharsets.UTF_8)).filter(s -> !s.isEmpty());
    }

    void save(String lastEtcdKey) {
        await(kv.put(EtcdKeys.bytes(key), EtcdKeys.bytes(lastEtcdKey)));
    }

    void clear() {
        await(kv.delete(EtcdKeys.bytes(key)));
    }

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetadataUnavailableException("interrupted while using the scan cursor", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new MetadataUnavailableException("etcd did not answer about the scan cursor: " + e, e);
        }
    }
}
