package io.hybridstore.systemtest;

import io.hybridstore.systemtest.KeyModel.Candidate;
import io.hybridstore.systemtest.KeyModel.Outcome;
import io.hybridstore.systemtest.RegisterModel.Kind;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * Clients that write, overwrite (hot-only and cold changes), read and delete with every strategy while faults
 * happen, and a model of what each key may hold. Most keys belong to one client, so their operations are sequential
 * and "the previous value" is well defined: an acknowledged write or delete makes the key exactly that; an error
 * leaves it as it was; an operation without an answer (timeout, dropped connection, 502/504 from nginx) may or may
 * not have happened, so the key may hold either. A few shared keys take every client's writes, merges, reads and
 * deletes at once; they, like all keys, are judged by the linearizability check of their {@link KeyHistories}.
 */
final class Workload {

    private static final String[] STRATEGIES = {"replication", "ec", "field_hybrid"};
    /** Share of the operations that go to the shared keys. */
    private static final int SHARED_PERCENT = 30;
    /** The client id of the reads after the load. */
    private static final int FINAL_READER = -1;

    /** What a write sends; rendered on demand so that the model does not hold megabytes per key. */
    record Value(String key, long hot, long coldSeed, int size) {

        byte[] render() {
            StringBuilder json = new StringBuilder(size + 100)
                    .append("{\"like_count\":").append(hot)
                    .append(",\"view_count\":").append(hot * 7)
                    .append(",\"key\":\"").append(key)
                    .append("\",\"cold_seed\":").append(coldSeed)
                    .append(",\"data\":\"");
            // The data's length depends on size alone, not on how many digits the hot fields have, so a hot-only
            // change keeps the cold fields byte for byte.
            Random random = new Random(coldSeed);
            for (int i = Math.max(1, size - 120); i > 0; i--) {
                json.append((char) ('a' + random.nextInt(26)));
            }
            return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
        }

        Value withHot(long newHot) {
            return new Value(key, newHot, coldSeed, size);
        }
    }

    /** Counters for the scorecard; anomalies name the operation and what was expected. */
    static final class Tally {
        final AtomicInteger attempted = new AtomicInteger();
        final AtomicInteger acknowledged = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger timedOut = new AtomicInteger();
        final AtomicInteger duringFaults = new AtomicInteger();
        final AtomicInteger succeededDuringFaults = new AtomicInteger();
        final List<String> wrongReads = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> lostWrites = java.util.Collections.synchronizedList(new ArrayList<>());
    }

    private final ReliabilitySettings settings;
    private final Api api;
    private final History history;
    private final Nemesis nemesis;
    private final Map<String, KeyModel> models = new ConcurrentHashMap<>();
    private final List<String> shared = new ArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();
    final Tally tally = new Tally();
    final KeyHistories histories = new KeyHistories();

    Workload(ReliabilitySettings settings, Api api, History history, Nemesis nemesis) {
        this.settings = settings;
        this.api = api;
        this.history = history;
        this.nemesis = nemesis;
        for (int s = 0; s < settings.sharedKeys(); s++) {
            shared.add("reliability/" + settings.seed() + "/shared/s" + s);
        }
    }

    IntSupplier progress() {
        return issued::get;
    }

    /** Runs every client until the operations are used up. */
    void run() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < settings.clients(); c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    runClient(client);
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
        }
    }

    private void runClient(int client) {
        Random random = new Random(settings.seed() * 31 + client);
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < settings.keysPerClient(); k++) {
            String key = "reliability/" + settings.seed() + "/c" + client + "/k" + k;
            keys.add(key);
            models.put(key, new KeyModel());
        }
        int n;
        while ((n = issued.getAndIncrement()) < settings.operations()) {
            nemesis.awaitTurn(n);
            if (!shared.isEmpty() && random.nextInt(100) < SHARED_PERCENT) {
                sharedStep(client, n, shared.get(random.nextInt(shared.size())), random);
            } else {
                String key = keys.get(random.nextInt(keys.size()));
                step(client, n, key, models.get(key), random);
            }
        }
    }

    private void step(int client, int n, String key, KeyModel model, Random random) {
        Candidate current = model.definite();
        int dice = random.nextInt(100);
        if (model.candidates.contains(Candidate.ABSENT) && current != null) {
            write(client, n, key, model, random, STRATEGIES[random.nextInt(3)], false, newValue(key, random));
        } else if (dice < 30) {
            read(client, n, key, model);
        } else if (dice < 40) {
            delete(client, n, key, model);
        } else if (dice < 60 && current != null && "field_hybrid".equals(current.strategy())) {
            // Hot-only change: same cold fields, new hot ones; half of them say so with hot_only=true.
            write(client, n, key, model, random, "field_hybrid", random.nextBoolean(),
                    current.value().withHot(random.nextInt(1_000_000)));
        } else {
            write(client, n, key, model, random, STRATEGIES[random.nextInt(3)], false, newValue(key, random));
        }
    }

    private Value newValue(String key, Random random) {
        int dice = random.nextInt(100);
        int max = settings.maxValueBytes();
        int size = dice < 60 ? between(random, 100, 2_000)
                : dice < 85 ? between(random, 2_000, 64 * 1024)
                : dice < 97 ? between(random, 64 * 1024, 1024 * 1024)
                : between(random, 1024 * 1024, max);
        return new Value(key, random.nextInt(1_000_000), random.nextLong(), Math.min(size, max));
    }

    private static String letters(Random random, int count) {
        StringBuilder letters = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            letters.append((char) ('a' + random.nextInt(26)));
        }
        return letters.toString();
    }

    private static int between(Random random, int low, int high) {
        return high <= low ? low : low + random.nextInt(high - low);
    }

    private void write(int client, int n, String key, KeyModel model, Random random, String strategy, boolean hotOnly,
                       Value value) {
        byte[] body = value.render();
        Candidate attempted = new Candidate(value, sha256(body), strategy);
        Exchange exchange = exchange(() -> api.write(key, strategy, hotOnly, body));
        remember(key, client, Kind.WRITE, exchange, KeyHistories.fields(body));
        model.settle(exchange.outcome(), attempted);
        if (exchange.outcome() == Outcome.OK) {
            model.acknowledgedWrite = true;
        }
        finish(client, n, exchange, entry("write", key, Map.of("strategy", strategy, "hot_only", hotOnly,
                "size", body.length, "sha256", attempted.sha256())));
    }

    private void read(int client, int n, String key, KeyModel model) {
        Exchange exchange = exchange(() -> api.read(key));
        remember(key, client, Kind.READ, exchange, readFields(exchange));
        Map<String, Object> details = new LinkedHashMap<>();
        if (exchange.response() != null && (exchange.status() == 200 || exchange.status() == 404)) {
            String seen = exchange.status() == 404 ? "absent" : sha256(exchange.response().body());
            details.put("sha256", seen);
            if (!model.allows(seen)) {
                tally.wrongReads.add("%s read %s (%d bytes), expected one of %s".formatted(key, seen,
                        exchange.response().body().length, describe(model)));
                details.put("anomaly", "wrong read");
            }
        }
        finish(client, n, exchange, entry("read", key, details));
    }

    private void delete(int client, int n, String key, KeyModel model) {
        Exchange exchange = exchange(() -> api.delete(key));
        remember(key, client, Kind.DELETE, exchange, null);
        Map<String, Object> details = new LinkedHashMap<>();
        if (exchange.status() == 404 && !model.allows("absent")) {
            tally.lostWrites.add("%s: delete answered 404 but the key held one of %s".formatted(key, describe(model)));
            details.put("anomaly", "lost write");
        }
        // A 404 is a definite answer that the key holds nothing, as the model already allows.
        model.settle(exchange.status() == 404 ? Outcome.FAILED : exchange.outcome(), Candidate.ABSENT);
        finish(client, n, exchange, entry("delete", key, details));
    }

    /**
     * A shared key: a small whole value, a merge of this client's own field and (sometimes) the hot counters every
     * client bumps, a read or a delete, racing the other clients. What may be read is left to the checker.
     */
    private void sharedStep(int client, int n, String key, Random random) {
        int dice = random.nextInt(100);
        if (dice < 30) {
            Exchange exchange = exchange(() -> api.read(key));
            Map<String, String> seen = readFields(exchange);
            remember(key, client, Kind.READ, exchange, seen);
            finish(client, n, exchange, entry("read", key, seen == null ? Map.of() : Map.of("fields", seen)));
        } else if (dice < 40) {
            Exchange exchange = exchange(() -> api.delete(key));
            remember(key, client, Kind.DELETE, exchange, null);
            finish(client, n, exchange, entry("delete", key, Map.of()));
        } else if (dice < 75) {
            String mine = "\"m" + client + "\":" + n;
            String body = switch (random.nextInt(3)) {
                case 0 -> "{\"like_count\":" + n + "}";
                case 1 -> "{" + mine + "}";
                default -> "{\"like_count\":" + n + ",\"view_count\":" + n * 7 + "," + mine + "}";
            };
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Exchange exchange = exchange(() -> api.post("/write?key=" + Api.encode(key) + "&merge=true", "application/json", bytes));
            remember(key, client, Kind.MERGE, exchange, KeyHistories.fields(bytes));
            finish(client, n, exchange, entry("merge", key, Map.of("body", body)));
        } else {
            String strategy = STRATEGIES[random.nextInt(3)];
            byte[] body = ("{\"like_count\":" + n + ",\"view_count\":" + n * 7 + ",\"writer\":\"c" + client + "-" + n
                    + "\",\"data\":\"" + letters(random, between(random, 50, 4_000)) + "\"}").getBytes(StandardCharsets.UTF_8);
            Map<String, String> fields = KeyHistories.fields(body);
            Exchange exchange = exchange(() -> api.write(key, strategy, false, body));
            remember(key, client, Kind.WRITE, exchange, fields);
            finish(client, n, exchange, entry("write", key, Map.of("strategy", strategy, "size", body.length,
                    "sha256", sha256(body), "fields", fields)));
        }
    }

    private void remember(String key, int client, Kind kind, Exchange exchange, Map<String, String> value) {
        histories.record(key, client, kind, exchange.invoked(), exchange.completed(), exchange.status(), value);
    }

    /** The fields a read returned; null unless it returned a value. */
    private static Map<String, String> readFields(Exchange exchange) {
        if (exchange.status() != 200) {
            return null;
        }
        try {
            return KeyHistories.fields(exchange.response().body());
        } catch (RuntimeException notAnObject) {
            // Not JSON at all: a value no one wrote, which the checker then finds in no state.
            return Map.of("unparseable", sha256(exchange.response().body()));
        }
    }

    private static Map<String, Object> entry(String op, String key, Map<String, Object> details) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("op", op);
        entry.put("key", key);
        entry.putAll(details);
        return entry;
    }

    private void finish(int client, int n, Exchange exchange, Map<String, Object> entry) {
        tally.attempted.incrementAndGet();
        boolean succeeded = exchange.outcome() == Outcome.OK || exchange.status() == 404;
        switch (exchange.outcome()) {
            case OK -> tally.acknowledged.incrementAndGet();
            case FAILED -> tally.failed.incrementAndGet();
            case TIMED_OUT -> tally.timedOut.incrementAndGet();
        }
        if (exchange.duringFault()) {
            tally.duringFaults.incrementAndGet();
            if (succeeded) {
                tally.succeededDuringFaults.incrementAndGet();
            }
        }
        entry.put("client", client);
        entry.put("n", n);
        entry.put("start", exchange.start().toString());
        entry.put("ms", exchange.millis());
        entry.put("invoked_ns", exchange.invoked());
        entry.put("completed_ns", exchange.completed());
        entry.put("status", exchange.status());
        entry.put("outcome", exchange.outcome().name());
        entry.put("during_fault", exchange.duringFault());
        // Read bodies are recorded by their hash only: they can be megabytes.
        if (exchange.response() != null && !(exchange.status() == 200 && "read".equals(entry.get("op")))) {
            String text = exchange.response().text();
            entry.put("answer", text.length() > 400 ? text.substring(0, 400) : text);
        }
        if (exchange.error() != null) {
            entry.put("error", exchange.error());
        }
        history.record(entry);
    }

    /** {@code invoked} and {@code completed} are {@link KeyHistories#now()} readings. */
    private record Exchange(Instant start, long invoked, long completed, long millis, Api.Response response, String error,
                            boolean duringFault) {

        int status() {
            return response == null ? 0 : response.status();
        }

        /**
         * 200 is an acknowledgement; the gateway's own 4xx and 503 say nothing was done; no answer, a dropped
         * connection, or nginx's 502/504 (the gateway died or stalled mid-request) leave the outcome open. So does a
         * 500: the gateway itself does not know how far it got.
         */
        Outcome outcome() {
            int status = status();
            if (status == 200) {
                return Outcome.OK;
            }
            return status == 0 || status == 500 || status == 502 || status == 504 ? Outcome.TIMED_OUT : Outcome.FAILED;
        }
    }

    private Exchange exchange(java.util.function.Supplier<Api.Response> call) {
        Instant start = Instant.now();
        long invoked = KeyHistories.now();
        boolean duringFault = nemesis.faultActive();
        try {
            Api.Response response = call.get();
            return new Exchange(start, invoked, KeyHistories.now(), millisSince(start), response, null,
                    duringFault || nemesis.faultActive());
        } catch (IllegalStateException noAnswer) {
            return new Exchange(start, invoked, KeyHistories.now(), millisSince(start), null,
                    String.valueOf(noAnswer.getCause()), duringFault || nemesis.faultActive());
        }
    }

    private static long millisSince(Instant start) {
        return java.time.Duration.between(start, Instant.now()).toMillis();
    }

    /**
     * Reads every key once the cluster is healed: each must hold a value its history allows, and a key whose last
     * operation was acknowledged must hold exactly that. The reads join the keys' histories too, so that the
     * linearizability check sees what the cluster kept. Returns how many keys were checked.
     */
    int verifyFinalState() {
        for (String key : shared) {
            Api.Response read = readWithRetries(key);
            history.record(entry("final read", key, Map.of("status", read.status(),
                    "sha256", read.status() == 200 ? sha256(read.body()) : "absent")));
        }
        for (var entry : models.entrySet()) {
            String key = entry.getKey();
            KeyModel model = entry.getValue();
            Api.Response read = readWithRetries(key);
            String seen = read.status() == 404 ? "absent" : read.status() == 200 ? sha256(read.body()) : "status " + read.status();
            Map<String, Object> record = entry("final read", key, Map.of("status", read.status(), "sha256", seen));
            if (!model.allows(seen)) {
                String anomaly = "%s final read %s, expected one of %s".formatted(key, seen, describe(model));
                if (model.acknowledgedWrite || model.definite() != null) {
                    tally.lostWrites.add(anomaly);
                } else {
                    tally.wrongReads.add(anomaly);
                }
                record = new LinkedHashMap<>(record);
                record.put("anomaly", anomaly);
            }
            history.record(record);
        }
        return models.size() + shared.size();
    }

    private Api.Response readWithRetries(String key) {
        Exchange read = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            read = exchange(() -> api.read(key));
            remember(key, FINAL_READER, Kind.READ, read, readFields(read));
            if (read.status() == 200 || read.status() == 404) {
                return read.response();
            }
            HealerTestCluster.sleep(1000);
        }
        return read.response() == null ? new Api.Response(0, new byte[0]) : read.response();
    }

    /** Every key the clients used, for the audit to tell them from other tests' objects. */
    Set<String> keys() {
        Set<String> keys = new java.util.HashSet<>(models.keySet());
        keys.addAll(shared);
        return keys;
    }

    private static String describe(KeyModel model) {
        return model.candidates.stream()
                .map(c -> c.value() == null ? "absent" : c.sha256().substring(0, 12) + "(" + c.strategy() + ", " + c.value().size() + " B)")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
