package io.hybridstore.gateway.s3;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.hybridstore.common.etcd.EtcdCalls;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.gateway.write.CommitGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The S3 buckets, in etcd at {@code buckets/<name>}. An object of bucket {@code b} with key {@code k} is the
 * manifest of key {@code b/k}, so the native API reads it at {@code /read/b/k} and a listing of the bucket is a range
 * read of the manifests under {@code b/}.
 *
 * <p>Deleting a bucket races with writes into it, and etcd cannot compare a whole key range in a transaction. So a
 * delete first marks the bucket (its mod revision changes), then checks that no manifest is under it, then removes
 * it only if the mark is still the last change. Every S3 write commits only while the bucket's mod revision is the
 * one it read ({@link #guard}) and refuses to start on a marked bucket: a write that read the bucket before the mark
 * loses its commit, one that reads it after refuses, so no object is ever committed into a bucket that a delete found
 * empty. A delete that finds objects takes its mark back; one interrupted between mark and removal leaves the mark,
 * and repeating DeleteBucket settles it either way.
 */
final class Buckets {

    private static final Logger log = LoggerFactory.getLogger(Buckets.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** AWS's rules for new buckets: 3–63 of a-z, 0-9, '.', '-', starting and ending with a letter or digit. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    private static final long SEEN_NANOS = 1_000_000_000L;
    private static final int MAX_SEEN = 10_000;

    /** What etcd holds per bucket. */
    record Settings(long createdAt, String strategy, boolean deleting) {
    }

    record Bucket(String name, Settings settings, long modRevision) {

        Strategy defaultStrategy() {
            return Strategy.fromWireName(settings.strategy()).orElse(Strategy.EC);
        }
    }

    private final Map<String, Long> recentlySeen = new ConcurrentHashMap<>();
    private final KV kv;
    private final EtcdKeys keys;
    private final ManifestStore manifests;
    private final Duration timeout;
    private final Clock clock;

    Buckets(KV kv, EtcdKeys keys, ManifestStore manifests, Duration timeout, Clock clock) {
        this.kv = kv;
        this.keys = keys;
        this.manifests = manifests;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** The native key of object {@code key} in {@code bucket}. */
    static String objectKey(String bucket, String key) {
        return bucket + "/" + key;
    }

    static String requireValidName(String name) {
        if (!NAME.matcher(name).matches() || name.contains("..") || name.contains(".-") || name.contains("-.")
                || IP_ADDRESS.matcher(name).matches()) {
            throw new S3Exception(S3Error.INVALID_BUCKET_NAME, "The specified bucket is not valid: '" + name
                    + "' (3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit)");
        }
        return name;
    }

    Optional<Bucket> find(String name) {
        return await(kv.get(keys.bucket(name))).getKvs().stream().findFirst().map(this::bucket);
    }

    /**
     * Throws NoSuchBucket unless the bucket existed at most {@value #SEEN_NANOS} ns ago: for reads, which then cost
     * one etcd request (the manifest) instead of two. A bucket is deleted only empty, so a read that trusts a
     * bucket deleted a moment ago finds no object in it anyway; writes are conditional on the bucket's record in
     * their commit and never use this.
     */
    void requireSeen(String name) {
        Long seen = recentlySeen.get(name);
        if (seen != null && System.nanoTime() - seen < SEEN_NANOS) {
            return;
        }
        require(name);
        if (recentlySeen.size() >= MAX_SEEN) {
            recentlySeen.clear();
        }
        recentlySeen.put(name, System.nanoTime());
    }

    /** The bucket, or NoSuchBucket. */
    Bucket require(String name) {
        return find(name).orElseThrow(() -> noSuchBucket(name));
    }

    /** The bucket a write may go into: it exists and no delete is under way. */
    Bucket requireWritable(String name) {
        Bucket bucket = require(name);
        if (bucket.settings().deleting()) {
            throw new S3Exception(S3Error.OPERATION_ABORTED, "The bucket '" + name
                    + "' is being deleted; repeat DeleteBucket to settle an interrupted delete");
        }
        return bucket;
    }

    /**
     * The condition of a write's commit: the bucket as {@code first} read it; after a lost commit, as read again
     * (so a delete that found the bucket not empty and took its mark back does not fail the write). {@code object}
     * is the object's own precondition (a conditional PUT), checked against the version the commit would replace.
     */
    CommitGuard guard(Bucket first, Consumer<Optional<Manifest>> object) {
        return new CommitGuard() {
            private Bucket current = first;
            private boolean used;

            @Override
            public ManifestStore.Also check(Optional<Manifest> replaced) {
                object.accept(replaced);
                if (used) {
                    current = requireWritable(first.name());
                }
                used = true;
                return new ManifestStore.Also(List.of(new ManifestStore.Unchanged(keys.bucket(current.name()),
                        current.modRevision())), List.of());
            }
        };
    }

    List<Bucket> list() {
        ByteSequence prefix = EtcdKeys.bytes(keys.bucketsPrefix());
        return await(kv.get(prefix, GetOption.builder().isPrefix(true).build())).getKvs().stream()
                .map(this::bucket).toList();
    }

    /** Creates the bucket; false when it already exists. */
    boolean create(String name, Strategy strategy) {
        ByteSequence key = keys.bucket(requireValidName(name));
        Settings settings = new Settings(clock.millis(), strategy.wireName(), false);
        return await(kv.txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(key, ByteSequence.from(JSON.writeValueAsBytes(settings)), PutOption.DEFAULT))
                .commit()).isSucceeded();
    }

    /** Deletes the bucket if it holds no object: BucketNotEmpty otherwise. */
    void delete(String name) {
        Bucket bucket = require(name);
        ByteSequence key = keys.bucket(name);
        Settings marked = new Settings(bucket.settings().createdAt(), bucket.settings().strategy(), true);
        TxnResponse marking = await(kv.txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(bucket.modRevision())))
                .Then(Op.put(key, ByteSequence.from(JSON.writeValueAsBytes(marked)), PutOption.DEFAULT))
                .commit());
        if (!marking.isSucceeded()) {
            throw changedWhileDeleting(name);
        }
        long markRevision = marking.getHeader().getRevision();
        if (manifests.anyUnder(objectKey(name, ""))) {
            Settings active = new Settings(marked.createdAt(), marked.strategy(), false);
            await(kv.txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(markRevision)))
                    .Then(Op.put(key, ByteSequence.from(JSON.writeValueAsBytes(active)), PutOption.DEFAULT))
                    .commit());
            throw new S3Exception(S3Error.BUCKET_NOT_EMPTY, "The bucket '" + name + "' you tried to delete is not empty");
        }
        boolean deleted = await(kv.txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(markRevision)))
                .Then(Op.delete(key, DeleteOption.DEFAULT))
                .commit()).isSucceeded();
        if (!deleted) {
            throw changedWhileDeleting(name);
        }
        recentlySeen.remove(name);
        log.info("Deleted bucket '{}'", name);
    }

    private static S3Exception changedWhileDeleting(String name) {
        return new S3Exception(S3Error.OPERATION_ABORTED, "The bucket '" + name + "' changed while it was being "
                + "deleted; try again");
    }

    static S3Exception noSuchBucket(String name) {
        return new S3Exception(S3Error.NO_SUCH_BUCKET, "The specified bucket does not exist: '" + name + "'");
    }

    private Bucket bucket(KeyValue kv) {
        String name = kv.getKey().toString().substring(keys.bucketsPrefix().length());
        return new Bucket(name, JSON.readValue(kv.getValue().getBytes(), Settings.class), kv.getModRevision());
    }

    private <T> T await(CompletableFuture<T> call) {
        return EtcdCalls.await(call, timeout, "reading or changing buckets");
    }
}
