package io.hybridstore.benchmark.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Put throughput and acknowledgement latency of a storage node with {@code durability=sync} against one with
 * {@code async}, for small and large blobs, under 64 concurrent writers. Launches both nodes from
 * {@code storage-node/target/storage-node.jar}, standalone on temp directories; measures one node at a time so
 * they do not compete for the CPU. Plain Java (JDK only), not JMH: the thing measured is a separate process.
 *
 * <p>Options: {@code --jar <path>} {@code --writers <n>} {@code --warmup-seconds <n>} {@code --seconds <n>}
 * {@code --sizes <bytes,bytes>}.
 */
public final class StoragePutBenchmark {

    private static final double TARGET_SYNC_SHARE = 0.5;
    private static final double TARGET_P99_MILLIS = 10;

    private StoragePutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path jar = Path.of(options.getOrDefault("jar", "storage-node/target/storage-node.jar"));
        int writers = Integer.parseInt(options.getOrDefault("writers", "64"));
        long warmupMillis = Long.parseLong(options.getOrDefault("warmup-seconds", "5")) * 1000;
        long durationMillis = Long.parseLong(options.getOrDefault("seconds", "15")) * 1000;
        int[] sizes = Arrays.stream(options.getOrDefault("sizes", "4096,262144").split(","))
                .mapToInt(Integer::parseInt).toArray();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no storage-node jar at " + jar.toAbsolutePath()
                    + "; build it with mvn -pl storage-node -am install -DskipTests");
        }

        List<Row> rows = new ArrayList<>();
        try (NodeProcess sync = NodeProcess.launch(jar, "sync"); NodeProcess async = NodeProcess.launch(jar, "async")) {
            sync.awaitHealthy(Duration.ofMinutes(3));
            async.awaitHealthy(Duration.ofMinutes(3));
            for (int size : sizes) {
                for (NodeProcess node : List.of(sync, async)) {
                    String durability = node == sync ? "sync" : "async";
                    System.err.printf("measuring %s, %d-byte blobs, %d writers: %ds warm-up + %ds...%n",
                            durability, size, writers, warmupMillis / 1000, durationMillis / 1000);
                    rows.add(new Row(durability, new PutLoad(node, writers).run(size, warmupMillis,
                            durationMillis)));
                }
            }
        }
        print(rows, writers);
    }

    private record Row(String durability, PutLoad.Result result) {
    }

    private static void print(List<Row> rows, int writers) {
        System.out.printf(Locale.ROOT, "%-10s %10s %8s %10s %9s %9s %9s %8s %12s%n", "durability", "blob size",
                "writers", "blobs/s", "MB/s", "p50 ms", "p99 ms", "errors", "fsyncs/blob");
        for (Row row : rows) {
            PutLoad.Result r = row.result();
            System.out.printf(Locale.ROOT, "%-10s %10s %8d %10.0f %9.1f %9.2f %9.2f %8d %12.3f%n", row.durability(),
                    size(r.blobSize()), writers, r.blobsPerSecond(), r.megabytesPerSecond(), r.p50Micros() / 1000.0,
                    r.p99Micros() / 1000.0, r.errors(), r.fsyncsPerBlob());
        }
        for (int i = 0; i + 1 < rows.size(); i += 2) {
            PutLoad.Result sync = rows.get(i).result();
            PutLoad.Result async = rows.get(i + 1).result();
            double share = sync.blobsPerSecond() / async.blobsPerSecond();
            double p99 = sync.p99Micros() / 1000.0;
            System.out.printf(Locale.ROOT, "%s: sync = %.0f%% of async throughput (target >= %.0f%%), sync p99 %.2f ms"
                            + " (target <= %.0f ms): %s%n", size(sync.blobSize()), share * 100, TARGET_SYNC_SHARE * 100,
                    p99, TARGET_P99_MILLIS,
                    share >= TARGET_SYNC_SHARE && p99 <= TARGET_P99_MILLIS ? "met" : "NOT met");
        }
    }

    private static String size(int bytes) {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
