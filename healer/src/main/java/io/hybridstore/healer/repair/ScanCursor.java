package io.hybridstore.healer.repair;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.hybridstore.common.etcd.EtcdCalls;
import io.hybridstore.common.etcd.EtcdKeys;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a sweep over the manifests got to, kept in etcd ({@code <prefix>healer/repair-cursor} for the repair scan,
 * {@code healer/scrub-cursor} for the scrub) so that a healer that takes over from a dead leader continues the
 * sweep instead of starting it again.
 */
final class ScanCursor {

    private final KV kv;
    private final ByteSequence key;
    private final Duration timeout;

    ScanCursor(KV kv, EtcdKeys keys, String name, Duration timeout) {
        this.kv = kv;
        this.key = keys.healerCursor(name);
        this.timeout = timeout;
    }

    Optional<String> load() {
        return await(kv.get(key)).getKvs().stream().findFirst()
                .map(kv -> kv.getValue().toString(StandardCharsets.UTF_8)).filter(s -> !s.isEmpty());
    }

    void save(String lastEtcdKey) {
        await(kv.put(key, EtcdKeys.bytes(lastEtcdKey)));
    }

    void clear() {
        await(kv.delete(key));
    }

    private <T> T await(CompletableFuture<T> call) {
        return EtcdCalls.await(call, timeout, "using the scan cursor");
    }
}
