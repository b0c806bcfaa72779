package io.hybridstore.common.metadata;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.OptionsUtil;
import io.etcd.jetcd.options.PutOption;
import io.hybridstore.common.etcd.EtcdCalls;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.ManifestCodec;
import io.hybridstore.common.manifest.VersionIds;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Manifests in etcd, the single source of truth for what is committed. Every change is conditional on the mod
 * revision the caller read: two writers of one key can never both win, and whatever a manifest references cannot
 * be swapped out between a read and the commit that builds on it.
 */
public final class ManifestStore {

    private final KV kv;
    private final EtcdKeys keys;
    private final Duration timeout;

    public ManifestStore(KV kv, EtcdKeys keys, Duration timeout) {
        this.kv = kv;
        this.keys = keys;
        this.timeout = timeout;
    }

    /** The committed manifest of {@code key}, read linearizably, or empty when the key does not exist. */
    public Optional<VersionedManifest> get(String key) {
        GetResponse response = await(kv.get(keys.object(key)));
        return response.getKvs().stream().findFirst().map(ManifestStore::versioned);
    }

    /** How a conditional put ended. */
    public enum PutResult {
        COMMITTED,
        /** Another commit changed the key since the caller read it. */
        CONFLICT,
        /** The healer rolled this version back; it can never be committed. */
        ROLLED_BACK
    }

    /**
     * Puts {@code manifest} if the key's mod revision is still {@code expectedModRevision} (0: the key must not
     * exist) and the manifest's version was not rolled back by the healer.
     */
    public PutResult putIf(Manifest manifest, long expectedModRevision) {
        return putIf(manifest, expectedModRevision, Also.NOTHING).result();
    }

    /** How a conditional put ended and, when it committed, the manifest as stored now, with its mod revision. */
    public record Put(PutResult result, Optional<VersionedManifest> stored) {
    }

    /**
     * Another etcd key whose mod revision must still be the one read when the manifest is put: an S3 bucket, which a
     * concurrent DeleteBucket marks before it checks that the bucket is empty.
     */
    public record Unchanged(ByteSequence key, long modRevision) {
    }

    /**
     * What else a commit is conditional on and changes in the same transaction: keys that must be unchanged, keys
     * it removes (a multipart upload's record, which the object's commit completes).
     */
    public record Also(List<Unchanged> unchanged, List<ByteSequence> deleted) {

        public static final Also NOTHING = new Also(List.of(), List.of());

        public Also {
            unchanged = List.copyOf(unchanged);
            deleted = List.copyOf(deleted);
        }

        public Also and(Also other) {
            List<Unchanged> u = new ArrayList<>(unchanged);
            u.addAll(other.unchanged);
            List<ByteSequence> d = new ArrayList<>(deleted);
            d.addAll(other.deleted);
            return new Also(u, d);
        }
    }

    /** As {@link #putIf(Manifest, long)}, and only while {@code also}'s keys are unchanged; then CONFLICT. */
    public Put putIf(Manifest manifest, long expectedModRevision, Also also) {
        ByteSequence key = keys.object(manifest.key());
        ByteSequence fence = keys.rolledBackVersion(manifest.version());
        List<Cmp> conditions = new ArrayList<>(List.of(
                new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)),
                new Cmp(fence, Cmp.Op.EQUAL, CmpTarget.createRevision(0))));
        also.unchanged().forEach(u -> conditions.add(new Cmp(u.key(), Cmp.Op.EQUAL, CmpTarget.modRevision(u.modRevision()))));
        List<Op> then = new ArrayList<>(List.of(Op.put(key, ByteSequence.from(ManifestCodec.toJson(manifest)),
                PutOption.DEFAULT)));
        also.deleted().forEach(d -> then.add(Op.delete(d, DeleteOption.DEFAULT)));
        TxnResponse response = await(kv.txn()
                .If(conditions.toArray(Cmp[]::new))
                .Then(then.toArray(Op[]::new))
                .Else(Op.get(fence, GetOption.DEFAULT))
                .commit());
        if (response.isSucceeded()) {
            // The transaction's revision is the one its put gave the key.
            return new Put(PutResult.COMMITTED, Optional.of(new VersionedManifest(manifest,
                    response.getHeader().getRevision(), key.toString())));
        }
        return new Put(response.getGetResponses().getFirst().getKvs().isEmpty() ? PutResult.CONFLICT
                : PutResult.ROLLED_BACK, Optional.empty());
    }

    /**
     * Makes sure {@code version} of {@code key} can never be committed unless it already is, and returns the
     * manifest current at that moment. The fence is put in one transaction with a comparison against the manifest
     * just read, so a commit of the version cannot slip in between the check and the fence.
     */
    public Optional<Manifest> fenceUncommitted(String key, String version) {
        while (true) {
            Optional<VersionedManifest> current = get(key);
            if (current.isPresent() && current.get().manifest().version().equals(version)) {
                return current.map(VersionedManifest::manifest);
            }
            ByteSequence objectKey = keys.object(key);
            boolean fenced = await(kv.txn()
                    .If(new Cmp(objectKey, Cmp.Op.EQUAL,
                            CmpTarget.modRevision(current.map(VersionedManifest::modRevision).orElse(0L))))
                    .Then(Op.put(keys.rolledBackVersion(version), ByteSequence.EMPTY, PutOption.DEFAULT))
                    .commit()).isSucceeded();
            if (fenced) {
                return current.map(VersionedManifest::manifest);
            }
        }
    }

    /**
     * Removes the rollback fences of versions created before {@code cutoff}; returns how many. A fence only has to
     * outlive the write it fences, and no write runs for as long as the retention the caller chose.
     */
    public int pruneFences(Instant cutoff) {
        ByteSequence prefix = EtcdKeys.bytes(keys.rolledBackPrefix());
        List<String> stale = await(kv.get(prefix, GetOption.builder().isPrefix(true).withKeysOnly(true).build()))
                .getKvs().stream()
                .map(kv -> kv.getKey().toString(StandardCharsets.UTF_8).substring(prefix.size()))
                .filter(version -> VersionIds.createdAt(version).filter(created -> created.isBefore(cutoff)).isPresent())
                .toList();
        stale.forEach(version -> await(kv.delete(keys.rolledBackVersion(version))));
        return stale.size();
    }

    /** Removes the manifest if the key's mod revision is still {@code expectedModRevision}. */
    public boolean deleteIf(String objectKey, long expectedModRevision) {
        return deleteIf(objectKey, expectedModRevision, Optional.empty());
    }

    /** Where a delete leaves its receipt: under the client request's id, with a lease that expires it. */
    public record ReceiptSlot(String requestId, long leaseId, DeleteReceipt receipt) {
    }

    /**
     * Removes the manifest if the key's mod revision is still {@code expectedModRevision} and, in the same commit,
     * leaves the receipt in {@code slot}: whoever later finds the manifest gone can tell that this very request
     * removed it.
     */
    public boolean deleteIf(String objectKey, long expectedModRevision, Optional<ReceiptSlot> slot) {
        ByteSequence key = keys.object(objectKey);
        List<Op> then = new ArrayList<>(List.of(Op.delete(key, DeleteOption.DEFAULT)));
        slot.ifPresent(s -> then.add(Op.put(keys.deleteReceipt(s.requestId()), ByteSequence.from(s.receipt().toJson()),
                PutOption.builder().withLeaseId(s.leaseId()).build())));
        return await(kv.txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
                .Then(then.toArray(Op[]::new))
                .commit()).isSucceeded();
    }

    /** The receipt a committed delete left under {@code requestId}, while its lease lasts. */
    public Optional<DeleteReceipt> deleteReceipt(String requestId) {
        return await(kv.get(keys.deleteReceipt(requestId))).getKvs().stream().findFirst()
                .map(kv -> DeleteReceipt.fromJson(kv.getValue().getBytes()));
    }

    /** Whether the manifest lies where {@link EtcdKeys#object} puts its key now. */
    public boolean isInPlace(VersionedManifest stored) {
        return stored.etcdKey().equals(keys.objectsPrefix() + stored.manifest().key());
    }

    /**
     * Moves a manifest stored under an earlier etcd key layout (percent-encoded keys) to where its key belongs now,
     * in one transaction, while neither has changed; when a newer write already put the key in its place, the stale
     * copy is removed instead (its blobs become garbage). Returns whether the manifest now lies in place.
     */
    public boolean relocate(VersionedManifest stored) {
        ByteSequence from = EtcdKeys.bytes(stored.etcdKey());
        ByteSequence to = keys.object(stored.manifest().key());
        Cmp unchanged = new Cmp(from, Cmp.Op.EQUAL, CmpTarget.modRevision(stored.modRevision()));
        boolean moved = await(kv.txn()
                .If(unchanged, new Cmp(to, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(to, ByteSequence.from(ManifestCodec.toJson(stored.manifest())), PutOption.DEFAULT),
                        Op.delete(from, DeleteOption.DEFAULT))
                .commit()).isSucceeded();
        if (!moved) {
            await(kv.txn().If(unchanged).Then(Op.delete(from, DeleteOption.DEFAULT)).commit());
        }
        return moved;
    }

    /** Up to {@code limit} manifests in etcd key order, starting after the etcd key {@code afterEtcdKey} (null: from the start). */
    public List<VersionedManifest> scan(String afterEtcdKey, int limit) {
        ByteSequence prefix = EtcdKeys.bytes(keys.objectsPrefix());
        ByteSequence from = afterEtcdKey == null ? prefix : EtcdKeys.bytes(afterEtcdKey + "\0");
        GetOption option = GetOption.builder()
                .withRange(EtcdKeys.bytes(keys.objectsPrefix().substring(0, keys.objectsPrefix().length() - 1) + "0"))
                .withLimit(limit)
                .build();
        return await(kv.get(from, option)).getKvs().stream().map(ManifestStore::versioned).toList();
    }

    /**
     * Up to {@code limit} manifests whose keys start with {@code keyPrefix}, in the byte order of their keys, from the
     * etcd key {@code from} on ({@link EtcdKeys#objectAfter}, {@link EtcdKeys#objectAfterAll}; null or a key
     * before the prefix: from the first).
     */
    public List<VersionedManifest> page(String keyPrefix, ByteSequence from, int limit) {
        ByteSequence start = keys.object(keyPrefix);
        ByteSequence end = OptionsUtil.prefixEndOf(start);
        ByteSequence first = from == null || Arrays.compareUnsigned(from.getBytes(), start.getBytes()) < 0 ? start : from;
        if (Arrays.compareUnsigned(first.getBytes(), end.getBytes()) >= 0) {
            return List.of();
        }
        GetOption option = GetOption.builder().withRange(end).withLimit(limit).build();
        return await(kv.get(first, option)).getKvs().stream().map(ManifestStore::versioned).toList();
    }

    /** Every manifest whose key starts with {@code keyPrefix}, in key order, read {@code pageSize} at a time. */
    public void forEachUnder(String keyPrefix, int pageSize, Consumer<VersionedManifest> each) {
        ByteSequence from = null;
        while (true) {
            List<VersionedManifest> page = page(keyPrefix, from, pageSize);
            page.forEach(each);
            if (page.size() < pageSize) {
                return;
            }
            from = keys.objectAfter(page.getLast().manifest().key());
        }
    }

    /** Whether any manifest's key starts with {@code keyPrefix}: one key-only read of at most one key. */
    public boolean anyUnder(String keyPrefix) {
        ByteSequence start = keys.object(keyPrefix);
        GetOption option = GetOption.builder().withRange(OptionsUtil.prefixEndOf(start)).withLimit(1)
                .withCountOnly(true).build();
        return await(kv.get(start, option)).getCount() > 0;
    }

    private static VersionedManifest versioned(KeyValue kv) {
        return new VersionedManifest(ManifestCodec.fromJson(kv.getValue().getBytes()), kv.getModRevision(),
                kv.getKey().toString());
    }

    private <T> T await(CompletableFuture<T> call) {
        return EtcdCalls.await(call, timeout, "reading or changing manifests");
    }
}
