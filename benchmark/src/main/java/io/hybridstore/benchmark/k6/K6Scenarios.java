package io.hybridstore.benchmark.k6;

import io.hybridstore.benchmark.load.ClosedLoop;
import io.hybridstore.benchmark.load.GatewayClient;
import io.hybridstore.benchmark.load.LatencyLog;
import io.hybridstore.benchmark.measure.Snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The original system's k6 scenarios (benchmark/k6/benchmark.js and read_latency.js) as a Java load generator, for
 * machines without k6. Update scenario, per strategy and cold size: 20 keys written first, then 10 clients each
 * POST to a random one of them an object whose hot counter changes and whose large description does not. Read
 * scenario: 30 keys, 10 clients reading random ones. Each run is a warm-up, then a fixed duration; prints markdown.
 * With {@code --snapshots DIR} (and {@code --groups}, {@code --targets}, {@code --access-logs} as for {@link
 * Snapshot}) the cluster's counters are snapshotted around each measured run and the run appended to {@code
 * DIR/runs.tsv}, for {@link io.hybridstore.benchmark.measure.CostReport}.
 *
 * <pre>java -cp benchmark/target/benchmarks.jar io.hybridstore.benchmark.k6.K6Scenarios [--url http://127.0.0.1:8000]
 *      [--clients 10] [--keys 20] [--read-keys 30] [--sizes 10240,102400,819200] [--read-size 10240]
 *      [--strategies replication,ec,field_hybrid] [--warmup 5] [--duration 30] [--reads true]
 *      [--snapshots DIR --groups FILE --targets FILE --access-logs DIR]</pre>
 */
public final class K6Scenarios {

    private final GatewayClient gateway;
    private final int clients;
    private final Duration warmup;
    private final Duration duration;
    private final Snapshot snapshot;
    private final Path snapshots;

    private K6Scenarios(GatewayClient gateway, int clients, Duration warmup, Duration duration, Snapshot snapshot,
                        Path snapshots) {
        this.gateway = gateway;
        this.clients = clients;
        this.warmup = warmup;
        this.duration = duration;
        this.snapshot = snapshot;
        this.snapshots = snapshots;
    }

    private record Row(String strategy, int coldSize, LatencyLog.Summary summary, double overhead) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path snapshots = options.containsKey("snapshots") ? Path.of(options.get("snapshots")) : null;
        Snapshot snapshot = snapshots == null ? null : new Snapshot(Path.of("/proc"), Path.of(options.get("groups")),
                Path.of(options.get("targets")), Path.of(options.get("access-logs")));
        K6Scenarios scenarios = new K6Scenarios(
                new GatewayClient(options.getOrDefault("url", "http://127.0.0.1:8000"), Duration.ofSeconds(60)),
                Integer.parseInt(options.getOrDefault("clients", "10")),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "5"))),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "30"))), snapshot, snapshots);
        int keys = Integer.parseInt(options.getOrDefault("keys", "20"));
        int readKeys = Integer.parseInt(options.getOrDefault("read-keys", "30"));
        int readSize = Integer.parseInt(options.getOrDefault("read-size", "10240"));
        List<String> strategies = List.of(options.getOrDefault("strategies", "replication,ec,field_hybrid").split(","));
        int[] sizes = Arrays.stream(options.getOrDefault("sizes", "10240,102400,819200").split(","))
                .mapToInt(Integer::parseInt).toArray();

        List<Row> updates = new ArrayList<>();
        for (int size : sizes) {
            for (String strategy : strategies) {
                updates.add(scenarios.updates(strategy, size, keys));
                System.err.printf("update scenario done: %s, %d bytes%n", strategy, size);
            }
        }
        List<Row> reads = new ArrayList<>();
        if (Boolean.parseBoolean(options.getOrDefault("reads", "true"))) {
            for (String strategy : strategies) {
                reads.add(scenarios.reads(strategy, readSize, readKeys));
                System.err.printf("read scenario done: %s%n", strategy);
            }
        }
        scenarios.print(updates, reads, keys, readKeys);
    }

    /** benchmark.js: a changing hot counter, an unchanged cold description, a random key among {@code keys}. */
    private Row updates(String strategy, int coldSize, int keys) throws Exception {
        String prefix = "k6/update/" + strategy + "/" + coldSize + "/";
        byte[][] tails = tails(keys, coldSize);
        double overhead = prewrite(prefix, strategy, tails);
        AtomicLong counter = new AtomicLong();
        ClosedLoop.Operation update = () -> {
            int k = ThreadLocalRandom.current().nextInt(keys);
            return gateway.write(prefix + k, strategy, false, body(counter.incrementAndGet(), tails[k])) == 200;
        };
        ClosedLoop.run(clients, warmup, 0, update);
        LatencyLog.Summary summary = measured("k6 update " + strategy + " " + size(coldSize), update);
        delete(prefix, keys);
        return new Row(strategy, coldSize, summary, overhead);
    }

    /** read_latency.js: GET of a random key among {@code keys} objects written before. */
    private Row reads(String strategy, int coldSize, int keys) throws Exception {
        String prefix = "k6/read/" + strategy + "/";
        byte[][] tails = tails(keys, coldSize);
        double overhead = prewrite(prefix, strategy, tails);
        ClosedLoop.Operation read = () -> gateway.read(prefix + ThreadLocalRandom.current().nextInt(keys)).ok();
        ClosedLoop.run(clients, warmup, 0, read);
        LatencyLog.Summary summary = measured("k6 read " + strategy + " " + size(coldSize), read);
        delete(prefix, keys);
        return new Row(strategy, coldSize, summary, overhead);
    }

    /** The measured run, between two snapshots of the cluster's counters when asked for. */
    private LatencyLog.Summary measured(String label, ClosedLoop.Operation operation) throws Exception {
        if (snapshot == null) {
            return ClosedLoop.run(clients, duration, 0, operation);
        }
        String name = label.replaceAll("[^A-Za-z0-9_]+", "-");
        snapshot.writeTo(snapshots.resolve(name + ".before"));
        LatencyLog.Summary summary = ClosedLoop.run(clients, duration, 0, operation);
        snapshot.writeTo(snapshots.resolve(name + ".after"));
        appendRun(snapshots.resolve("runs.tsv"), label, name, summary.ok() + summary.errors());
        return summary;
    }

    private static void appendRun(Path runs, String label, String name, long operations) throws IOException {
        Files.writeString(runs, label + "\t" + name + ".before\t" + name + ".after\t" + operations + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Writes every key once; answers the storage overhead (blob bytes added per logical byte). */
    private double prewrite(String prefix, String strategy, byte[][] tails) throws Exception {
        long before = gateway.storageUsage();
        long logical = 0;
        for (int k = 0; k < tails.length; k++) {
            byte[] body = body(0, tails[k]);
            logical += body.length;
            int status = gateway.write(prefix + k, strategy, false, body);
            if (status != 200) {
                throw new IllegalStateException("pre-write of " + prefix + k + " answered " + status);
            }
        }
        return (gateway.storageUsage() - before) / (double) logical;
    }

    private void delete(String prefix, int keys) {
        for (int k = 0; k < keys; k++) {
            gateway.delete(prefix + k);
        }
    }

    /** Per key, everything of its object after the hot counter: the key's id (cold) and the description. */
    private static byte[][] tails(int keys, int coldSize) {
        String description = description(coldSize);
        byte[][] tails = new byte[keys][];
        for (int k = 0; k < keys; k++) {
            tails[k] = (",\"id\":" + k + ",\"description\":\"" + description + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        return tails;
    }

    private static byte[] body(long likes, byte[] tail) {
        byte[] head = ("{\"like_count\":" + likes).getBytes(StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, body, head.length, tail.length);
        return body;
    }

    /** Text of the given length: the cold field the k6 script sends unchanged with every update. */
    private static String description(int length) {
        String words = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt. ";
        return words.repeat(length / words.length() + 1).substring(0, length);
    }

    private void print(List<Row> updates, List<Row> reads, int keys, int readKeys) {
        System.out.printf("%d clients, warm-up %d s, %d s per row, against %s.%n%n", clients, warmup.toSeconds(),
                duration.toSeconds(), gateway.url());
        if (!updates.isEmpty()) {
            System.out.printf("Update scenario (benchmark.js): %d keys, changing hot counter, unchanged cold description.%n%n", keys);
            table(updates);
            for (int size : updates.stream().mapToInt(Row::coldSize).distinct().toArray()) {
                LatencyLog.Summary ec = find(updates, "ec", size);
                LatencyLog.Summary hybrid = find(updates, "field_hybrid", size);
                if (ec != null && hybrid != null && ec.p95Micros() > 0) {
                    System.out.printf("- %s: field_hybrid p95 / ec p95 = %.2f (target at 800 KB: ≤ 0.33)%n",
                            size(size), hybrid.p95Micros() / (double) ec.p95Micros());
                }
            }
            System.out.println();
        }
        if (!reads.isEmpty()) {
            System.out.printf("Read scenario (read_latency.js): %d keys of %s cold data.%n%n", readKeys,
                    size(reads.getFirst().coldSize()));
            table(reads);
        }
    }

    private static LatencyLog.Summary find(List<Row> rows, String strategy, int size) {
        return rows.stream().filter(r -> r.strategy().equals(strategy) && r.coldSize() == size)
                .map(Row::summary).findFirst().orElse(null);
    }

    private static void table(List<Row> rows) {
        System.out.println("| strategy | cold size | ops/s | p50 ms | p95 ms | p99 ms | max ms | errors | storage overhead |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Row r : rows) {
            LatencyLog.Summary s = r.summary();
            System.out.printf("| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f %% | %.2fx |%n", r.strategy(),
                    size(r.coldSize()), s.opsPerSecond(), s.p50Micros() / 1e3, s.p95Micros() / 1e3,
                    s.p99Micros() / 1e3, s.maxMicros() / 1e3, 100 * s.errorRate(), r.overhead());
        }
        System.out.println();
    }

    private static String size(int bytes) {
        return bytes >= 1 << 20 ? bytes / (1 << 20) + " MiB" : bytes / 1024 + " KiB";
    }
}
