package io.hybridstore.benchmark.hybrid;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String url;
    private final int clients;
    private final int keys;
    private final int updates;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HybridUpdateBenchmark(String url, int clients, int keys, int updates) {
        this.url = url;
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
                          double overhead, int errors) {
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
        long usageBefore = usage();
        long logical = 0;
        for (int k = 0; k < keys; k++) {
            String body = body(0, description, 0);
            logical += body.length();
            send(write(prefix + k, scenario.strategy, false, body));
        }
        double overhead = (double) (usage() - usageBefore) / logical;

        AtomicInteger sequence = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        for (int i = 0; i < Math.max(2, updates / 10); i++) {
            update(scenario, prefix, description, sequence.incrementAndGet(), errors);
        }
        long writtenBefore = bytesWritten();
        double[] latencies = new double[updates];
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < updates; i = next.getAndIncrement()) {
                        long start = System.nanoTime();
                        update(scenario, prefix, description, sequence.incrementAndGet(), errors);
                        latencies[i] = (System.nanoTime() - start) / 1e6;
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        long bytesPerUpdate = (bytesWritten() - writtenBefore) / updates;
        for (int k = 0; k < keys; k++) {
            send(HttpRequest.newBuilder(URI.create(url + "/delete/" + prefix + k)).DELETE());
        }
        Arrays.sort(latencies);
        return new Result(scenario, coldSize, percentile(latencies, 0.50), percentile(latencies, 0.95),
                bytesPerUpdate, overhead, errors.get());
    }

    private void update(Scenario scenario, String prefix, String description, int n, AtomicInteger errors) {
        String key = prefix + ThreadLocalRandom.current().nextInt(keys);
        String body = scenario.hotOnly ? "{\"like_count\":" + n + "}"
                : body(n, description, scenario.coldChanges ? n : 0);
        if (send(write(key, scenario.strategy, scenario.hotOnly, body)) != 200) {
            errors.incrementAndGet();
        }
    }

    private static String body(int likes, String description, int revision) {
        return "{\"like_count\":" + likes + ",\"revision\":" + revision + ",\"description\":\"" + description + "\"}";
    }

    private HttpRequest.Builder write(String key, String strategy, boolean hotOnly, String body) {
        return HttpRequest.newBuilder(URI.create(url + "/write?key=" + key + "&strategy=" + strategy
                        + (hotOnly ? "&hot_only=true" : "")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    private int send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private JsonNode get(String target) throws IOException, InterruptedException {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(target)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body());
    }

    private long usage() throws IOException, InterruptedException {
        return get(url + "/storage_usage").get("total_system_size").asLong();
    }

    /** Sum of every storage node's bytes-written counter (blob records appended to its segments). */
    private long bytesWritten() throws IOException, InterruptedException {
        long total = 0;
        for (String node : get(url + "/node_status").propertyNames()) {
            total += get(node + "/info").get("bytes_written").asLong();
        }
        return total;
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static void print(List<Result> results, HybridUpdateBenchmark benchmark) {
        System.out.printf("%n%d clients, %d keys, %d timed updates per row, against %s%n%n", benchmark.clients,
                benchmark.keys, benchmark.updates, benchmark.url);
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
