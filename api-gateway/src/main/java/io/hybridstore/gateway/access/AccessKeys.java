package io.hybridstore.gateway.access;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.hybridstore.common.etcd.EtcdCalls;
import io.hybridstore.common.etcd.EtcdKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The access keys clients authenticate with, kept in etcd ({@link EtcdKeys#accessKey}) with their secrets sealed
 * ({@link SecretSeal}), plus the root key of the configuration ({@code hybridstore.s3.access-key}). A gateway
 * remembers a key it looked up, and that a key does not exist, for {@code access-key-cache-time}: authenticating
 * costs no etcd call per request, and a deleted key stops working everywhere within that time.
 */
public final class AccessKeys {

    private static final Logger log = LoggerFactory.getLogger(AccessKeys.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    /** More distinct ids than this in one cache time (a flood of made-up ids) empty the cache rather than grow it. */
    private static final int MAX_CACHED = 10_000;

    /** An access key with its secret in the clear; only ever in memory. */
    public record Credentials(AccessKey key, String secret) {

        @Override
        public String toString() {
            return "Credentials[" + key + "]";
        }
    }

    /** What etcd holds per key. */
    record StoredKey(String id, boolean root, List<StoredGrant> grants, long createdAt, String sealedSecret) {

        AccessKey key() {
            List<Grant> held = grants == null ? List.of()
                    : grants.stream().map(grant -> new Grant(grant.prefix(), Access.of(grant.access()))).toList();
            return new AccessKey(id, root, held, createdAt);
        }
    }

    record StoredGrant(String prefix, String access) {
    }

    private record Cached(Optional<Credentials> credentials, long loadedAt) {
    }

    private final KV kv;
    private final EtcdKeys keys;
    private final Duration timeout;
    private final SecretSeal seal;
    private final Clock clock;
    private final long cacheNanos;
    private final Optional<Credentials> configuredRoot;
    private final ConcurrentMap<String, Cached> cache = new ConcurrentHashMap<>();

    AccessKeys(KV kv, EtcdKeys keys, Duration timeout, SecretSeal seal, Clock clock, Duration cacheTime,
               Optional<Credentials> configuredRoot) {
        this.kv = kv;
        this.keys = keys;
        this.timeout = timeout;
        this.seal = seal;
        this.clock = clock;
        this.cacheNanos = cacheTime.toNanos();
        this.configuredRoot = configuredRoot;
    }

    /** The key and its secret, if {@code id} names one. */
    public Optional<Credentials> find(String id) {
        if (configuredRoot.isPresent() && configuredRoot.get().key().id().equals(id)) {
            return configuredRoot;
        }
        Cached cached = cache.get(id);
        long now = System.nanoTime();
        if (cached != null && now - cached.loadedAt() < cacheNanos) {
            return cached.credentials();
        }
        Optional<Credentials> loaded = load(id);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(id, new Cached(loaded, now));
        return loaded;
    }

    /**
     * The caller whose key {@code id} has secret {@code secret}.
     *
     * @throws UnauthenticatedException when there is no such key or the secret is not its
     */
    public Caller authenticate(String id, String secret) {
        Optional<Credentials> found = find(id);
        if (found.isEmpty()) {
            throw new UnauthenticatedException("unknown-key", "the access key '" + id + "' does not exist");
        }
        if (!MessageDigest.isEqual(found.get().secret().getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8))) {
            throw new UnauthenticatedException("bad-secret", "the secret key is not the one of access key '" + id
                    + "'");
        }
        return new Caller(found.get().key());
    }

    /** A new key with a random id and secret; the secret is shown here once and never again. */
    public Credentials create(boolean root, List<Grant> grants) {
        for (int attempt = 0; ; attempt++) {
            AccessKey key = new AccessKey(newId(), root, grants, clock.millis());
            String secret = newSecret();
            ByteSequence etcdKey = keys.accessKey(key.id());
            boolean created = await(kv.txn()
                    .If(new Cmp(etcdKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(Op.put(etcdKey, value(key, secret), PutOption.DEFAULT))
                    .commit(), "creating an access key").isSucceeded();
            if (created) {
                cache.remove(key.id());
                log.info("Created access key {} ({})", key.id(), describe(key));
                return new Credentials(key, secret);
            }
            if (attempt == 3) {
                throw new IllegalStateException("four random access key ids in a row were taken");
            }
        }
    }

    /** Every key etcd holds, without secrets, in id order; the configured root key is not among them. */
    public List<AccessKey> list() {
        ByteSequence prefix = EtcdKeys.bytes(keys.accessKeysPrefix());
        return await(kv.get(prefix, GetOption.builder().isPrefix(true).build()), "listing access keys").getKvs()
                .stream().map(kv -> stored(kv).map(StoredKey::key))
                .flatMap(Optional::stream).toList();
    }

    /** Deletes the key; false when there was none. Other gateways stop accepting it within their cache time. */
    public boolean delete(String id) {
        boolean deleted = await(kv.delete(keys.accessKey(id)), "deleting an access key").getDeleted() > 0;
        cache.remove(id);
        if (deleted) {
            log.info("Deleted access key {}", id);
        }
        return deleted;
    }

    public boolean isConfiguredRoot(String id) {
        return configuredRoot.isPresent() && configuredRoot.get().key().id().equals(id);
    }

    private Optional<Credentials> load(String id) {
        if (!validId(id)) {
            return Optional.empty();
        }
        List<KeyValue> found = await(kv.get(keys.accessKey(id)), "reading an access key").getKvs();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        KeyValue entry = found.getFirst();
        Optional<StoredKey> stored = stored(entry);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Optional<SecretSeal.Opened> opened = seal.open(id, stored.get().sealedSecret());
        if (opened.isEmpty()) {
            log.warn("The secret of access key {} opens with none of the cluster secrets in force; the key is refused"
                    + " (was it created by another cluster, or is the cluster secret not the one it was sealed with?)",
                    id);
            return Optional.empty();
        }
        AccessKey key = stored.get().key();
        if (!opened.get().current()) {
            reseal(entry, key, opened.get().secret());
        }
        return Optional.of(new Credentials(key, opened.get().secret()));
    }

    /** Seals a secret found under the old cluster secret of a rotation under the new one, unless it changed since. */
    private void reseal(KeyValue entry, AccessKey key, String secret) {
        boolean resealed = await(kv.txn()
                .If(new Cmp(entry.getKey(), Cmp.Op.EQUAL, CmpTarget.modRevision(entry.getModRevision())))
                .Then(Op.put(entry.getKey(), value(key, secret), PutOption.DEFAULT))
                .commit(), "sealing an access key's secret again").isSucceeded();
        if (resealed) {
            log.info("Sealed the secret of access key {} again under the current cluster secret", key.id());
        }
    }

    private ByteSequence value(AccessKey key, String secret) {
        List<StoredGrant> grants = key.grants().stream()
                .map(grant -> new StoredGrant(grant.prefix(), grant.access().wireName())).toList();
        return ByteSequence.from(JSON.writeValueAsBytes(new StoredKey(key.id(), key.root(), grants, key.createdAt(),
                seal.seal(key.id(), secret))));
    }

    private Optional<StoredKey> stored(KeyValue entry) {
        try {
            return Optional.of(JSON.readValue(entry.getValue().getBytes(), StoredKey.class));
        } catch (RuntimeException e) {
            log.warn("The access key at {} cannot be read and is refused: {}", entry.getKey(), e.getMessage());
            return Optional.empty();
        }
    }

    private static String describe(AccessKey key) {
        return key.root() ? "root" : key.grants().stream()
                .map(grant -> "'" + grant.prefix() + "' " + grant.access().wireName()).toList().toString();
    }

    /** 20 characters like an AWS access key id, starting HS so that it is recognisable in a log. */
    private static String newId() {
        StringBuilder id = new StringBuilder("HS");
        for (int i = 0; i < 18; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    /** 240 random bits, 40 characters. */
    private static String newSecret() {
        byte[] bytes = new byte[30];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The ids a key can have: anything else is never looked up in etcd. */
    private static boolean validId(String id) {
        if (id.isEmpty() || id.length() > 128) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private <T> T await(CompletableFuture<T> call, String what) {
        return EtcdCalls.await(call, timeout, what);
    }
}
