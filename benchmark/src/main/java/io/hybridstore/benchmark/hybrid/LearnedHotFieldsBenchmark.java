package io.hybridstore.benchmark.hybrid;

import io.hybridstore.benchmark.load.ClosedLoop;
import io.hybridstore.benchmark.load.GatewayClient;
import io.hybridstore.benchmark.load.LatencyLog;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The original system's k6 update payload, unchanged, against hot fields the gateways must learn: {@code
 * {"status_flags": <random 0–999>, "description": <800 KiB>}}, 10 clients, 20 keys, {@code field_hybrid}, and no
 * configuration naming {@code status_flags}. The writes run in two phases, the warm-up (the first 200, during which
 * the collection learns) and the rest; per phase it prints the share of pure hot updates, the blob bytes the storage
 * nodes wrote per update (their own counters) and the latency. Then a projection read against a whole read of one
 * object with an 8 MiB cold part: latency and bytes answered.
 *
 * <pre>java -cp benchmark/target/benchmarks.jar io.hybridstore.benchmark.hybrid.LearnedHotFieldsBenchmark
 *      [--url http://127.0.0.1:8000] [--clients 10] [--keys 20] [--writes 1200] [--warm-up 200]
 *      [--description 819200] [--projection-cold 8388608] [--reads 50]</pre>
 */
public final class LearnedHotFieldsBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LearnedHotFieldsBenchmark() {
    }

    private record Phase(String name, long writes, long pureHot, long bytesWritten, LatencyLog.Summary latency) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        GatewayClient gateway = new GatewayClient(options.getOrDefault("url", "http://127.0.0.1:8000"),
                Duration.ofSeconds(60));
        int clients = Integer.parseInt(options.getOrDefault("clients", "10"));
        int keys = Integer.parseInt(options.getOrDefault("keys", "20"));
        int writes = Integer.parseInt(options.getOrDefault("writes", "1200"));
        int warmUp = Integer.parseInt(options.getOrDefault("warm-up", "200"));
        int descriptionBytes = Integer.parseInt(options.getOrDefault("description", "819200"));
        String collection = "k6learn" + Long.toString(System.currentTimeMillis(), 36);
        byte[] description = ("\"" + "x".repeat(descriptionBytes) + "\"").getBytes(StandardCharsets.US_ASCII);

        for (int k = 0; k < keys; k++) {
            require(gateway.writeAnswered(collection + ":" + k, "field_hybrid", body(0, description)));
        }
        Phase learning = phase(gateway, "warm-up (learning)", clients, warmUp, collection, keys, description);
        Phase learned = phase(gateway, "after warm-up", clients, writes - warmUp, collection, keys, description);
        JsonNode hot = gateway.getJson("/collections/" + collection + "/hot_fields");

        System.out.printf("k6 update payload, %d clients, %d keys, %s description, field_hybrid, no configured hot"
                + " field; collection %s learned %s.%n%n", clients, keys, size(descriptionBytes), collection,
                hot.path("learned"));
        System.out.println("| phase | writes | pure hot updates | blob bytes written per update | ops/s | p50 ms | p95 ms |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Phase p : new Phase[]{learning, learned}) {
            System.out.printf("| %s | %d | %.1f %% | %,d | %.1f | %.1f | %.1f |%n", p.name(), p.writes(),
                    100.0 * p.pureHot() / Math.max(1, p.writes()), p.bytesWritten() / Math.max(1, p.writes()),
                    p.latency().opsPerSecond(), p.latency().p50Micros() / 1e3, p.latency().p95Micros() / 1e3);
        }
        for (int k = 0; k < keys; k++) {
            gateway.delete(collection + ":" + k);
        }
        projection(gateway, Integer.parseInt(options.getOrDefault("projection-cold", "8388608")),
                Integer.parseInt(options.getOrDefault("reads", "50")));
    }

    private static Phase phase(GatewayClient gateway, String name, int clients, int writes, String collection,
                               int keys, byte[] description) throws Exception {
        AtomicLong pureHot = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long bytesBefore = gateway.bytesWritten();
        LatencyLog.Summary latency = ClosedLoop.run(clients, null, writes, () -> {
            int k = ThreadLocalRandom.current().nextInt(keys);
            GatewayClient.Response answer = gateway.writeAnswered(collection + ":" + k, "field_hybrid",
                    body(ThreadLocalRandom.current().nextInt(1000), description));
            if (answer.status() != 200) {
                return false;
            }
            done.incrementAndGet();
            if (JSON.readTree(answer.body()).path("is_pure_hot_update").asBoolean()) {
                pureHot.incrementAndGet();
            }
            return true;
        });
        return new Phase(name, done.get(), pureHot.get(), gateway.bytesWritten() - bytesBefore, latency);
    }

    /** One object with a small hot field and a large cold part: its hot field alone against the whole object. */
    private static void projection(GatewayClient gateway, int coldBytes, int reads) throws Exception {
        String key = "projection-bench:" + Long.toString(System.currentTimeMillis(), 36);
        byte[] body = ("{\"like_count\":7,\"description\":\"" + "p".repeat(coldBytes) + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
        require(gateway.writeAnswered(key, "field_hybrid", body));
        LatencyLog.Summary whole = reads(reads, () -> gateway.read(key));
        LatencyLog.Summary fields = reads(reads, () -> gateway.readFields(key, "like_count"));
        long wholeBytes = gateway.read(key).body().length;
        long fieldBytes = gateway.readFields(key, "like_count").body().length;
        System.out.printf("%nProjection read of an object with a %s cold part, %d reads each, one client.%n%n",
                size(coldBytes), reads);
        System.out.println("| read | bytes answered | p50 ms | p95 ms |");
        System.out.println("| --- | ---: | ---: | ---: |");
        System.out.printf("| whole object | %,d | %.2f | %.2f |%n", wholeBytes, whole.p50Micros() / 1e3,
                whole.p95Micros() / 1e3);
        System.out.printf("| ?fields=like_count (hot) | %,d | %.2f | %.2f |%n", fieldBytes, fields.p50Micros() / 1e3,
                fields.p95Micros() / 1e3);
        gateway.delete(key);
    }

    private interface Read {
        GatewayClient.Response run();
    }

    private static LatencyLog.Summary reads(int count, Read read) throws Exception {
        return ClosedLoop.run(1, null, count, () -> read.run().ok());
    }

    private static void require(GatewayClient.Response answer) {
        if (answer.status() != 200) {
            throw new IllegalStateException("a write answered " + answer.status() + ": "
                    + new String(answer.body(), StandardCharsets.UTF_8));
        }
    }

    private static byte[] body(int flags, byte[] description) {
        byte[] head = ("{\"status_flags\":" + flags + ",\"description\":").getBytes(StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOf(head, head.length + description.length + 1);
        System.arraycopy(description, 0, body, head.length, description.length);
        body[body.length - 1] = '}';
        return body;
    }

    private static String size(int bytes) {
        return bytes >= 1 << 20 ? bytes / (1 << 20) + " MiB" : bytes / 1024 + " KiB";
    }
}
