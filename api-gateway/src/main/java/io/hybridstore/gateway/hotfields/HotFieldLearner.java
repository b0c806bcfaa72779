package io.hybridstore.gateway.hotfields;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.hybridstore.common.etcd.EtcdCalls;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.json.FieldPrint;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.web.auth.ThrottledLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Learns which fields of each collection are hot from the overwrites this gateway commits. The write path pays a
 * map update per field ({@link #overwritten}, after the commit, fed by the field prints both manifests carry);
 * everything else runs in the background: every {@code publish-interval} the gateway adds its counts to its own
 * totals in etcd and, for a collection whose window is full, sums every gateway's totals and decides the next hot
 * set ({@link CollectionState#decide}). Writes use a collection's hot set as this gateway last saw it
 * ({@link #hotFields}): a watch on etcd brings every decision at once, and a set older than {@code refresh-interval}
 * is read again in the background besides, in case the watch missed one.
 */
public final class HotFieldLearner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HotFieldLearner.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int OVERRIDE_ATTEMPTS = 5;

    private final KV kv;
    private final EtcdKeys keys;
    private final Duration timeout;
    private final LearningProperties settings;
    private final Set<String> configured;
    private final String gatewayId;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ThrottledLog failures = new ThrottledLog(log, Level.WARN);
    private final ConcurrentMap<String, Tally> pending = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counts> published = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Cached> states = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> updates = new ConcurrentHashMap<>();
    private final ScheduledExecutorService publisher;
    private final Watch.Watcher watcher;

    /** A collection's hot set as last read, and whether a read of it is under way. */
    private record Cached(CollectionState state, Set<String> hot, long readAt, boolean reading) {
    }

    /** A collection's counts since the last publish. */
    private static final class Tally {
        long overwrites;
        final Map<String, long[]> fields = new HashMap<>();
    }

    HotFieldLearner(KV kv, Watch watch, EtcdKeys keys, Duration timeout, LearningProperties settings,
                    Set<String> configured, String gatewayId, Clock clock, MeterRegistry meters) {
        this.kv = kv;
        this.keys = keys;
        this.timeout = timeout;
        this.settings = settings;
        this.configured = Set.copyOf(configured);
        this.gatewayId = gatewayId;
        this.clock = clock;
        this.meters = meters;
        this.publisher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("hot-field-publisher").daemon().factory());
        if (settings.enabled()) {
            long every = settings.publishInterval().toMillis();
            publisher.scheduleWithFixedDelay(this::publishQuietly, every, every, TimeUnit.MILLISECONDS);
            watcher = watch.watch(EtcdKeys.bytes(keys.hotFieldsPrefix()), WatchOption.builder().isPrefix(true).build(),
                    response -> response.getEvents().forEach(this::decided),
                    error -> failures.log(() -> "Watching hot fields failed (sets are read again every "
                            + settings.refreshInterval() + " meanwhile): " + error));
        } else {
            watcher = null;
        }
    }

    /** Another gateway decided, or an operator overrode: a collection this gateway uses takes the new set at once. */
    private void decided(WatchEvent event) {
        String collection = keys.hotFieldsCollection(event.getKeyValue().getKey());
        if (!states.containsKey(collection)) {
            return;
        }
        if (event.getEventType() == WatchEvent.EventType.PUT) {
            try {
                cache(collection, JSON.readValue(event.getKeyValue().getValue().getBytes(), CollectionState.class));
            } catch (RuntimeException e) {
                failures.log(() -> "Unreadable hot fields of '" + collection + "' in etcd: " + e.getMessage());
            }
        } else {
            states.remove(collection);
        }
    }

    /**
     * The fields a field_hybrid write of {@code key} replicates now. The first write of a collection in this gateway
     * reads its set from etcd (once: splitting by the configured list meanwhile would move every learned field of
     * the objects it writes back to the cold part); later ones use the set kept fresh by the watch.
     */
    public Set<String> hotFields(String key) {
        if (!settings.enabled()) {
            return configured;
        }
        String collection = settings.collectionOf(key);
        Cached cached = states.get(collection);
        if (cached == null) {
            return load(collection);
        }
        if (!cached.reading() && System.nanoTime() - cached.readAt() > settings.refreshInterval().toNanos()) {
            refreshInBackground(collection, cached);
        }
        return cached.hot();
    }

    private Set<String> load(String collection) {
        if (states.size() >= settings.maxCollections()) {
            states.clear();
        }
        try {
            return cache(collection, read(collection).state());
        } catch (RuntimeException e) {
            failures.log(() -> "Could not read the hot fields of '" + collection + "'; writing with the configured"
                    + " ones: " + e.getMessage());
            return configured;
        }
    }

    /**
     * Counts a committed field_hybrid overwrite: which fields changed from {@code before} to {@code after}, and
     * whether it was a pure hot update. Versions without prints (too many fields, or written before prints
     * existed) count as updates but teach nothing.
     */
    public void overwritten(String key, Manifest before, Manifest after) {
        String collection = settings.collectionOf(key);
        boolean pureHot = Objects.equals(before.erasureCoded(), after.erasureCoded());
        String kind = pureHot ? "pure_hot" : "cold";
        if (updates.size() < 2 * settings.maxCollections() || updates.containsKey(collection + "\0" + kind)) {
            updates.computeIfAbsent(collection + "\0" + kind, name -> Counter
                    .builder("hybridstore.gateway.field.hybrid.updates")
                    .description("field_hybrid overwrites per collection: pure hot (the cold part reused) or cold")
                    .tag("collection", collection).tag("kind", kind).register(meters)).increment();
        }
        Map<String, FieldPrint> old = before.printsByField();
        if (!settings.enabled() || old.isEmpty() || after.fieldPrints() == null) {
            return;
        }
        if (!pending.containsKey(collection) && pending.size() >= settings.maxCollections()) {
            return;
        }
        Tally tally = pending.computeIfAbsent(collection, c -> new Tally());
        synchronized (tally) {
            tally.overwrites++;
            for (int i = 0; i < after.fieldOrder().size(); i++) {
                String name = after.fieldOrder().get(i);
                long[] counts = tally.fields.get(name);
                if (counts == null) {
                    if (tally.fields.size() >= settings.maxFields()) {
                        continue;
                    }
                    counts = new long[3];
                    tally.fields.put(name, counts);
                }
                FieldPrint print = after.fieldPrints().get(i);
                FieldPrint was = old.get(name);
                if (was == null || !was.sameValue(print)) {
                    counts[0]++;
                }
                counts[1] += print.size();
                counts[2]++;
            }
        }
    }

    /** What the API shows of a collection: its state and the totals counted so far, read from etcd now. */
    public record View(String collection, Set<String> configured, CollectionState state, Counts totals) {
    }

    public View view(String collection) {
        return new View(collection, configured, read(collection).state(), totals(collection));
    }

    /** Sets a collection's overrides, whatever the gateways decide meanwhile. */
    public View override(String collection, List<String> pin, List<String> neverHot) {
        for (int attempt = 1; attempt <= OVERRIDE_ATTEMPTS; attempt++) {
            Stored stored = read(collection);
            if (put(collection, stored, stored.state().withOverrides(pin, neverHot))) {
                states.remove(collection);
                log.info("Overrides of collection '{}': pinned hot {}, never hot {}", collection, pin, neverHot);
                return view(collection);
            }
        }
        throw new IllegalStateException("the hot fields of '" + collection + "' kept changing while being overridden");
    }

    /** Adds every collection's counts since the last publish to this gateway's totals, and decides full windows. */
    void publish() {
        for (String collection : List.copyOf(pending.keySet())) {
            Tally tally = pending.remove(collection);
            Counts delta;
            synchronized (tally) {
                delta = new Counts(tally.overwrites, tally.fields);
            }
            try {
                Counts mine = published.computeIfAbsent(collection, this::ownTotals).plus(delta);
                EtcdCalls.await(kv.put(keys.collectionStats(collection, gatewayId),
                        ByteSequence.from(JSON.writeValueAsBytes(mine))), timeout, "publishing field statistics");
                published.put(collection, mine);
                decide(collection);
            } catch (RuntimeException e) {
                pending.merge(collection, tally, HotFieldLearner::combine);
                failures.log(() -> "Could not publish the field statistics of '" + collection + "' (kept for the"
                        + " next try): " + e.getMessage());
            }
        }
    }

    /** {@code later}, counted since a publish failed, with the failed publish's {@code earlier} counts added. */
    private static Tally combine(Tally later, Tally earlier) {
        synchronized (later) {
            later.overwrites += earlier.overwrites;
            earlier.fields.forEach((name, counts) -> later.fields.merge(name, counts,
                    (a, b) -> new long[]{a[0] + b[0], a[1] + b[1], a[2] + b[2]}));
        }
        return later;
    }

    private void publishQuietly() {
        try {
            publish();
        } catch (RuntimeException e) {
            failures.log(() -> "Publishing field statistics failed: " + e);
        }
    }

    private void decide(String collection) {
        Stored stored = read(collection);
        Optional<CollectionState> next = stored.state().decide(totals(collection), settings, configured,
                clock.millis());
        if (next.isPresent() && put(collection, stored, next.get())) {
            Set<String> before = stored.state().learned().keySet();
            Set<String> after = next.get().learned().keySet();
            if (!before.equals(after)) {
                log.info("Collection '{}' learned hot fields {} (window {}; was {})", collection, after,
                        next.get().windows(), before);
            }
            cache(collection, next.get());
        } else {
            cache(collection, stored.state());
        }
    }

    /** A state as read, with the revision a change of it is conditional on (0: absent). */
    private record Stored(CollectionState state, long modRevision) {
    }

    private Stored read(String collection) {
        List<KeyValue> found = EtcdCalls.await(kv.get(keys.collectionHotFields(collection)), timeout,
                "reading hot fields").getKvs();
        if (found.isEmpty()) {
            return new Stored(CollectionState.initial(), 0);
        }
        return new Stored(JSON.readValue(found.getFirst().getValue().getBytes(), CollectionState.class),
                found.getFirst().getModRevision());
    }

    private boolean put(String collection, Stored stored, CollectionState next) {
        ByteSequence key = keys.collectionHotFields(collection);
        Cmp unchanged = stored.modRevision() == 0 ? new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0))
                : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(stored.modRevision()));
        return EtcdCalls.await(kv.txn().If(unchanged)
                .Then(Op.put(key, ByteSequence.from(JSON.writeValueAsBytes(next)), PutOption.DEFAULT))
                .commit(), timeout, "deciding hot fields").isSucceeded();
    }

    /** Every gateway's totals for the collection, summed. */
    private Counts totals(String collection) {
        return EtcdCalls.await(kv.get(EtcdKeys.bytes(keys.collectionStatsPrefix(collection)),
                        GetOption.builder().isPrefix(true).build()), timeout, "reading field statistics").getKvs()
                .stream().map(entry -> JSON.readValue(entry.getValue().getBytes(), Counts.class))
                .reduce(Counts.empty(), Counts::plus);
    }

    /** This gateway's totals as etcd has them: a restarted gateway counts on from there. */
    private Counts ownTotals(String collection) {
        return EtcdCalls.await(kv.get(keys.collectionStats(collection, gatewayId)), timeout,
                        "reading field statistics").getKvs().stream().findFirst()
                .map(entry -> JSON.readValue(entry.getValue().getBytes(), Counts.class)).orElseGet(Counts::empty);
    }

    private void refreshInBackground(String collection, Cached cached) {
        if (!states.replace(collection, cached, new Cached(cached.state(), cached.hot(), cached.readAt(), true))) {
            return;
        }
        CompletableFuture.runAsync(() -> {
            try {
                cache(collection, read(collection).state());
            } catch (RuntimeException e) {
                states.computeIfPresent(collection, (c, now) -> new Cached(now.state(), now.hot(), System.nanoTime(),
                        false));
                failures.log(() -> "Could not read the hot fields of '" + collection + "': " + e.getMessage());
            }
        }, Thread.ofVirtual()::start);
    }

    private Set<String> cache(String collection, CollectionState state) {
        Set<String> hot = state.hotSet(configured);
        states.put(collection, new Cached(state, hot, System.nanoTime(), false));
        return hot;
    }

    /** Publishes what is still counted, so that a gateway stopping in order loses nothing. */
    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        publisher.shutdownNow();
        if (settings.enabled() && !pending.isEmpty()) {
            publishQuietly();
        }
    }
}
