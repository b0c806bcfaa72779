package io.hybridstore.healer.repair;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.hybridstore.common.etcd.EtcdCalls;
import io.hybridstore.common.etcd.EtcdKeys;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Keys a gateway reported after reading around bad blobs: {@code <prefix>repair/<escaped key>}, value the version
 * read. They are repaired before the scan, and a hint is removed only if nobody re-reported it meanwhile.
 */
final class RepairHints {

    private final KV kv;
    private final EtcdKeys keys;
    private final Duration timeout;

    RepairHints(KV kv, EtcdKeys keys, Duration timeout) {
        this.kv = kv;
        this.keys = keys;
        this.timeout = timeout;
    }

    record Hint(String objectKey, String etcdKey, long modRevision) {
    }

    List<Hint> pending(int limit) {
        GetOption option = GetOption.builder().isPrefix(true).withLimit(limit).build();
        return await(kv.get(EtcdKeys.bytes(keys.repairHintsPrefix()), option)).getKvs().stream()
                .map(kv -> {
                    String etcdKey = kv.getKey().toString(StandardCharsets.UTF_8);
                    return new Hint(keys.repairHintObjectKey(etcdKey), etcdKey, kv.getModRevision());
                }).toList();
    }

    void done(Hint hint) {
        ByteSequence key = EtcdKeys.bytes(hint.etcdKey());
        await(kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(hint.modRevision())))
                .Then(Op.delete(key, DeleteOption.DEFAULT)).commit());
    }

    private <T> T await(CompletableFuture<T> call) {
        return EtcdCalls.await(call, timeout, "reading or removing repair hints");
    }
}
