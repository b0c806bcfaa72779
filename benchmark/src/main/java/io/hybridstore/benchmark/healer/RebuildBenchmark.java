package io.hybridstore.benchmark.healer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebuild after a lost disk, against a running cluster: writes N objects of {@code --size} bytes (replication, ec and
 * field_hybrid in turn), runs the wipe command (run-rebuild-bench.sh: kill a node, delete its data, start it), then
 * asks the leader healer for full passes until one finds nothing degraded. Prints the time to full redundancy, the
 * objects and bytes rebuilt per second, and what the healer read: blob bytes (rebuild sources only) and check
 * requests. The time includes the passes' scan of every other object in the cluster, as a real rebuild's does.
 * JDK only, so it runs without the benchmark module's shaded jar.
 */
public final class RebuildBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RebuildBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String gateway = arg(args, "--gateway", "http://127.0.0.1:8000");
        List<String> healers = List.of(arg(args, "--healers", "http://127.0.0.1:8201,http://127.0.0.1:8202").split(","));
        String wipedNode = arg(args, "--wiped-node-url", "http://127.0.0.1:8001");
        int objects = Integer.parseInt(arg(args, "--objects", "2000"));
        int concurrency = Integer.parseInt(arg(args, "--concurrency", "16"));
        int size = Integer.parseInt(arg(args, "--size", "100000"));
        String wipe = arg(args, "--wipe-command", null);

        long written = writeObjects(gateway, objects, size, concurrency);
        System.out.printf("wrote %d objects (%.1f MB logical)%n", objects, written / 1e6);
        String leader = leader(healers);
        scan(leader);
        String before = get(leader + "/status");

        long wipeStart = System.nanoTime();
        Process process = new ProcessBuilder("bash", "-c", wipe).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wipe command failed: " + wipe);
        }
        long wiped = System.nanoTime();
        System.out.printf("wipe command took %.1f s%n", (wiped - wipeStart) / 1e9);
        int passes = 0;
        String after;
        long repairedAt = wiped;
        do {
            leader = leader(healers);
            after = scan(leader);
            passes++;
            if (number(after, "\"degraded\":(\\d+)") > 0) {
                repairedAt = System.nanoTime();
            }
        } while (number(after, "\"degraded\":(\\d+)") > 0 && passes < 20);
        // Redundancy was back when the last pass that repaired ended; the pass after it only confirmed that.
        double seconds = (repairedAt - wiped) / 1e9;
        long rebuiltBytes = number(get(wipedNode + "/info"), "\"total_bytes\":(\\d+)");
        long readBytes = number(after, "\"repair_bytes_read\":(\\d+)") - number(before, "\"repair_bytes_read\":(\\d+)");
        long checks = number(after, "\"check_requests\":(\\d+)") - number(before, "\"check_requests\":(\\d+)");
        long blobs = number(after, "\"blobs_repaired\":(\\d+)") - number(before, "\"blobs_repaired\":(\\d+)");
        long repaired = number(after, "\"objects_repaired\":(\\d+)") - number(before, "\"objects_repaired\":(\\d+)");
        System.out.printf("full redundancy after %.1f s (%d passes after the node came back, the last one finding"
                + " nothing to repair)%n", seconds, passes);
        System.out.printf("repaired %d objects: %.0f objects/s%n", repaired, repaired / seconds);
        System.out.printf("rebuilt %d blobs, %.1f MB on the wiped node: %.2f MB/s%n", blobs, rebuiltBytes / 1e6,
                rebuiltBytes / 1e6 / seconds);
        System.out.printf("healer read %.1f MB of blob data (rebuild sources only) and sent %d check requests;"
                + " finding the damage read 0 blob bytes%n", readBytes / 1e6, checks);
    }

    private static long writeObjects(String gateway, int objects, int size, int concurrency) throws Exception {
        String[] strategies = {"replication", "ec", "field_hybrid"};
        String filler = "x".repeat(Math.max(0, size - 40));
        Semaphore permits = new Semaphore(concurrency);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < objects; i++) {
                int n = i;
                permits.acquire();
                results.add(executor.submit(() -> {
                    try {
                        String body = "{\"like_count\":" + n + ",\"data\":\"" + filler + "\"}";
                        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway
                                        + "/write?key=bench/rebuild/" + n + "&strategy=" + strategies[n % 3]))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("write " + n + ": " + response.statusCode() + " " + response.body());
                        }
                        return body.length();
                    } finally {
                        permits.release();
                    }
                }));
            }
        }
        long total = 0;
        for (Future<Integer> result : results) {
            total += result.get();
        }
        return total;
    }

    private static String leader(List<String> healers) throws InterruptedException {
        for (int attempt = 0; attempt < 300; attempt++) {
            for (String healer : healers) {
                try {
                    if (get(healer + "/status").contains("\"role\":\"leader\"")) {
                        return healer;
                    }
                } catch (IOException unreachable) {
                    // try the next healer
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no leader among " + healers);
    }

    private static String scan(String healer) throws IOException, InterruptedException {
        return internal("POST", healer + "/scan?wait=PT10M");
    }

    private static String get(String url) throws IOException, InterruptedException {
        return internal("GET", url);
    }

    /**
     * A healer's or node's endpoint, signed with the cluster secret by scripts/internal-call (which finds the secret
     * in HS_RUN_DIR) as an operator would call it; an answer other than 2xx ends the benchmark.
     */
    private static String internal(String method, String url) throws IOException, InterruptedException {
        Process call = new ProcessBuilder("scripts/internal-call", method, url).redirectErrorStream(true).start();
        String answer = new String(call.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (call.waitFor() != 0) {
            throw new IOException(method + " " + url + ": " + answer);
        }
        return answer;
    }

    /** The first number the pattern captures in the last_pass object (or anywhere for the counters). */
    private static long number(String json, String pattern) {
        String scope = pattern.contains("degraded") && json.contains("\"last_pass\"")
                ? json.substring(json.indexOf("\"last_pass\"")) : json;
        Matcher m = Pattern.compile(pattern).matcher(scope);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        if (fallback == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return fallback;
    }
}
