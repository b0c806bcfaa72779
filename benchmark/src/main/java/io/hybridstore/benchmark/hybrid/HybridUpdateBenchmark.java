package io.hybridstore.benchmark.hybrid;

import io.hybridstore.benchmark.load.ClosedLoop;
import io.hybridstore.benchmark.load.GatewayClient;
import io.hybridstore.benchmark.load.LatencyLog;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Updates of a JSON object with one small hot field and a large cold field, against a running cluster: what an
 * update costs (latency, bytes the storage nodes wrote) with each way of storing it, for cold parts from 10 KB to
 * 8 MB, and what each strategy costs in storage. Prints one markdown table.
 *
 * <pre>java -cp benchmark/target/benchmarks.jar io.hybridstore.benchmark.hybrid.HybridUpdateBenchmark
 *      [--url http://127.0.0.1:8000] [--clients 10] [--keys 20] [--updates 60] [--sizes 10240,102400,819200,8388608]</pre>
 */
public final class HybridUpdateBenchmark {

    private final GatewayClient gateway;
    private final int clients;
    private final int keys;
    private final int updates;

    private HybridUpdateBenchmark(String url, int clients, int keys, int updates) {
        this.gateway = new GatewayClient(url, Duration.ofSeconds(120));
        this.clients = clients;
        this.keys = keys;
        this.updates = updates;
    }

    /** The five ways of updating: strategy, whether the cold field changes, and whether only hot fields are sent. */
    private enum Scenario {
        EC_REWRITE("ec", "(a) ec full rewrite", true, false),
        HYBRID_COLD("field_hybrid", "(b) field_hybrid cold update", true, false),
        HYBRID_PURE_HOT("field_hybrid", "(c) field_hybrid pure hot, full body", false, false),
        HYBRID_HOT_ONLY("field_hybrid", "(d) field_hybrid hot_only=true", false, true),
        REPLICATION("replication", "(e) replication", false, false);

        final String strategy;
        final String label;
        final boolean coldChanges;
        final boolean hotOnly;

        Scenario(String strategy, String label, boolean coldChanges, boolean hotOnly) {
            this.strategy = strategy;
            this.label = label;
            this.coldChanges = coldChanges;
            this.hotOnly = hotOnly;
        }
    }

    private record Result(Scenario scenario, int coldSize, double p50, double p95, long bytesPerUpdate,
                          double overhead, long errors) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        HybridUpdateBenchmark benchmark = new HybridUpdateBenchmark(
                options.getOrDefault("url", "http://127.0.0.1:8000"),
                Integer.parseInt(options.getOrDefault("clients", "10")),
                Integer.parseInt(options.getOrDefault("keys", "20")),
                Integer.parseInt(options.getOrDefault("updates", "60")));
        int[] sizes = Arrays.stream(options.getOrDefault("sizes", "10240,102400,819200,8388608").split(","))
                .mapToInt(Integer::parseInt).toArray();
        List<Result> results = new ArrayList<>();
        for (int size : sizes) {
            for (Scenario scenario : Scenario.values()) {
                Result result = benchmark.run(scenario, size);
                results.add(result);
                System.err.printf("done %s at %d bytes%n", scenario.label, size);
            }
        }
        print(results, benchmark);
    }

    private Result run(Scenario scenario, int coldSize) throws Exception {
        String description = "d".repeat(coldSize);
        String prefix = "bench/" + scenario.name().toLowerCase() + "/" + coldSize + "/";
        long usageBefore = gateway.storageUsage();
        long logical = 0;
        for (int k = 0; k < keys; k++) {
            byte[] body = body(0, description, 0);
            logical += body.length;
            gateway.write(prefix + k, scenario.strategy, false, body);
        }
        double overhead = (double) (gateway.storageUsage() - usageBefore) / logical;

        AtomicInteger sequence = new AtomicInteger();
        ClosedLoop.Operation update = () -> update(scenario, prefix, description, sequence.incrementAndGet());
        ClosedLoop.run(clients, null, Math.max(2, updates / 10), update);
        long writtenBefore = gateway.bytesWritten();
        LatencyLog.Summary timed = ClosedLoop.run(clients, null, updates, update);
        long bytesPerUpdate = (gateway.bytesWritten() - writtenBefore) / updates;
        for (int k = 0; k < keys; k++) {
            gateway.delete(prefix + k);
        }
        return new Result(scenario, coldSize, timed.p50Micros() / 1e3, timed.p95Micros() / 1e3, bytesPerUpdate,
                overhead, timed.errors());
    }

    private boolean update(Scenario scenario, String prefix, String description, int n) {
        String key = prefix + ThreadLocalRandom.current().nextInt(keys);
        byte[] body = scenario.hotOnly ? ("{\"like_count\":" + n + "}").getBytes(StandardCharsets.UTF_8)
                : body(n, description, scenario.coldChanges ? n : 0);
        return gateway.write(key, scenario.strategy, scenario.hotOnly, body) == 200;
    }

    private static byte[] body(int likes, String description, int revision) {
        return ("{\"like_count\":" + likes + ",\"revision\":" + revision + ",\"description\":\"" + description
                + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static void print(List<Result> results, HybridUpdateBenchmark benchmark) {
        System.out.printf("%n%d clients, %d keys, %d timed updates per row, against %s%n%n", benchmark.clients,
                benchmark.keys, benchmark.updates, benchmark.gateway.url());
        System.out.println("| scenario | cold size | p50 ms | p95 ms | bytes written per update | storage overhead | errors |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Result r : results) {
            System.out.printf("| %s | %s | %.1f | %.1f | %,d | %.2fx | %d |%n", r.scenario().label, size(r.coldSize()),
                    r.p50(), r.p95(), r.bytesPerUpdate(), r.overhead(), r.errors());
        }
    }

    private static String size(int bytes) {
        return bytes >= 1 << 20 ? bytes / (1 << 20) + " MiB" : bytes / 1024 + " KiB";
    }
}
