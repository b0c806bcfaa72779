package io.hybridstore.healer.repair;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.metadata.MetadataUnavailableException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keys a gateway reported after reading around bad blobs: {@code <prefix>repair/<escaped key>}, value the version
 * read. They are repaired before the scan, and a hint is removed only if nobody re-reported it meanwhile.
 */
final class RepairHints {

    private final KV kv;
    private final String prefix;
    private final Duration timeout;

    RepairHints(KV kv, EtcdKeys keys, Duration timeout) {
        this.kv = kv;
        this.prefix = keys.prefix() + "repair/";
        this.timeout = timeout;
    }

    record Hint(String objectKey, String etcdKey, long modRevision) {
    }

    List<Hint> pending(int limit) {
        GetOption option = GetOption.builder().isPrefix(true).withLimit(limit).build();
        return await(kv.get(EtcdKeys.bytes(prefix), option)).getKvs().stream()
                .map(kv -> {
                    String etcdKey = kv.getKey().toString(StandardCharsets.UTF_8);
                    String objectKey = URLDecoder.decode(etcdKey.substring(prefix.length()), StandardCharsets.UTF_8);
                    return new Hint(objectKey, etcdKey, kv.getModRevision());
                }).toList();
    }

    void done(Hint hint) {
        ByteSequence key = EtcdKeys.bytes(hint.etcdKey());
        await(kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(hint.modRevision())))
                .Then(Op.delete(key, DeleteOption.DEFAULT)).commit());
    }

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetadataUnavailableException("interrupted while reading repair hints", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new MetadataUnavailableException("etcd did not answer about repair hints: " + e, e);
        }
    }
}
