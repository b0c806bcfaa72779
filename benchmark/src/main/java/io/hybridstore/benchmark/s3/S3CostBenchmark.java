package io.hybridstore.benchmark.s3;

import io.hybridstore.benchmark.load.ClosedLoop;
import io.hybridstore.benchmark.load.GatewayClient;
import io.hybridstore.benchmark.load.LatencyLog;
import io.hybridstore.benchmark.measure.ProcCpu;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The S3 API against the native API on the same bytes: 4 KiB JSON objects, {@code ec}, written and read by
 * {@code --clients} clients for {@code --seconds} each, through nginx; the server CPU each service spends per
 * operation (user + system time of every process of its instances, from {@code /proc}); then a large object
 * streamed in through a multipart upload, in MB/s.
 *
 * <pre>java -cp benchmark/target/benchmarks.jar io.hybridstore.benchmark.s3.S3CostBenchmark [--url
 *      http://127.0.0.1:8000] [--s3 http://127.0.0.1:9000] [--run-dir run] [--clients 10] [--seconds 20]
 *      [--keys 1000] [--large-mib 1024] [--part-mib 64]</pre>
 */
public final class S3CostBenchmark {

    private static final int SIZE = 4096;
    private static final double MS_PER_TICK = 10;

    private S3CostBenchmark() {
    }

    private record Run(String name, LatencyLog.Summary latency, Map<String, Double> cpuMsPerOp) {

        double total() {
            return cpuMsPerOp.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path runDir = Path.of(options.getOrDefault("run-dir", "run"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "10"));
        Duration seconds = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "20")));
        int keys = Integer.parseInt(options.getOrDefault("keys", "1000"));
        GatewayClient gateway = new GatewayClient(options.getOrDefault("url", "http://127.0.0.1:8000"),
                Duration.ofSeconds(60));
        Properties key = new Properties();
        try (Reader in = Files.newBufferedReader(runDir.resolve("s3-credentials"))) {
            key.load(in);
        }
        S3Client s3 = S3Client.builder().endpointOverride(URI.create(options.getOrDefault("s3", "http://127.0.0.1:9000")))
                .region(Region.US_EAST_1).forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        key.getProperty("HYBRIDSTORE_S3_ACCESS_KEY"), key.getProperty("HYBRIDSTORE_S3_SECRET_KEY"))))
                .build();
        Map<Long, String> groups = groups(runDir);
        String bucket = "s3cost-" + Long.toString(System.currentTimeMillis(), 36);
        s3.createBucket(b -> b.bucket(bucket).overrideConfiguration(o -> o.putHeader("x-hybridstore-strategy", "ec")));
        byte[] body = ("{\"d\":\"" + "x".repeat(SIZE - 8) + "\"}").getBytes(StandardCharsets.US_ASCII);

        // Warm-up: both paths compiled before anything is counted.
        ClosedLoop.run(clients, Duration.ofSeconds(5), 0, () -> gateway.write("warm:" + next(keys), "ec", false, body) == 200);
        ClosedLoop.run(clients, Duration.ofSeconds(5), 0, () -> put(s3, bucket, "warm/" + next(keys), body));

        // Writes go round the keys, reads pick among those written.
        AtomicLong nativeWrites = new AtomicLong();
        AtomicLong s3Writes = new AtomicLong();
        List<Run> runs = new ArrayList<>();
        runs.add(measure("native write", groups, clients, seconds,
                () -> gateway.write(bucket + "/n" + nativeWrites.getAndIncrement() % keys, "ec", false, body) == 200));
        runs.add(measure("S3 PutObject", groups, clients, seconds,
                () -> put(s3, bucket, "s" + s3Writes.getAndIncrement() % keys, body)));
        runs.add(measure("native read", groups, clients, seconds,
                () -> gateway.read(bucket + "/n" + written(nativeWrites, keys)).ok()));
        runs.add(measure("S3 GetObject", groups, clients, seconds, () -> s3.getObjectAsBytes(b -> b.bucket(bucket)
                .key("s" + written(s3Writes, keys))).asByteArray().length == SIZE));

        List<String> services = runs.getFirst().cpuMsPerOp().keySet().stream().toList();
        System.out.printf("4 KiB JSON objects, ec, %d clients, %d s per run (after a 5 s warm-up of each API), %d keys."
                + " Server CPU ms per operation, user + system time of every process of each service.%n%n",
                clients, seconds.toSeconds(), keys);
        System.out.println("| run | ops/s | p50 ms | p99 ms | errors | " + String.join(" | ", services)
                + " | all services |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | " + "---: | ".repeat(services.size()) + "---: |");
        for (Run run : runs) {
            StringBuilder row = new StringBuilder(String.format("| %s | %.0f | %.1f | %.1f | %d |", run.name(),
                    run.latency().opsPerSecond(), run.latency().p50Micros() / 1e3, run.latency().p99Micros() / 1e3,
                    run.latency().errors()));
            services.forEach(service -> row.append(String.format(" %.2f |", run.cpuMsPerOp().get(service))));
            System.out.println(row.append(String.format(" %.2f |", run.total())));
        }
        System.out.printf("%nS3 / native, all services: PutObject %.2f, GetObject %.2f (target ≤ 1.20)%n",
                runs.get(1).total() / runs.get(0).total(), runs.get(3).total() / runs.get(2).total());

        large(s3, bucket, Integer.parseInt(options.getOrDefault("large-mib", "1024")),
                Integer.parseInt(options.getOrDefault("part-mib", "64")));
    }

    private static int next(int keys) {
        return ThreadLocalRandom.current().nextInt(keys);
    }

    /** A random key among those {@code writes} has written so far. */
    private static long written(AtomicLong writes, int keys) {
        return ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(keys, writes.get())));
    }

    private static boolean put(S3Client s3, String bucket, String key, byte[] body) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(body));
        return true;
    }

    private static Run measure(String name, Map<Long, String> groups, int clients, Duration duration,
                               ClosedLoop.Operation operation) throws Exception {
        Map<String, ProcCpu.Ticks> before = ProcCpu.read(Path.of("/proc"), groups);
        LatencyLog.Summary latency = ClosedLoop.run(clients, duration, 0, operation);
        Map<String, ProcCpu.Ticks> after = ProcCpu.read(Path.of("/proc"), groups);
        long operations = Math.max(1, latency.ok());
        Map<String, Double> perOp = new LinkedHashMap<>();
        after.forEach((service, ticks) -> {
            ProcCpu.Ticks was = before.getOrDefault(service, new ProcCpu.Ticks(0, 0));
            perOp.put(service, (ticks.user() - was.user() + ticks.system() - was.system()) * MS_PER_TICK / operations);
        });
        System.err.printf("%s: %.0f ops/s%n", name, latency.opsPerSecond());
        return new Run(name, latency, perOp);
    }

    /** A multipart upload of {@code mib} MiB in parts of {@code partMib}, sent one after the other. */
    private static void large(S3Client s3, String bucket, int mib, int partMib) {
        byte[] part = new byte[partMib << 20];
        ThreadLocalRandom.current().nextBytes(part);
        String key = "large.bin";
        String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        long started = System.nanoTime();
        for (int n = 1; n <= mib / partMib; n++) {
            int number = n;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(number),
                    RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload).multipartUpload(m -> m.parts(parts)));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%nLarge object: %d MiB in %d parts of %d MiB, one client, one part at a time: %.1f s, %.0f MB/s"
                + " into the cluster (target ≥ 200 MB/s).%n", mib, parts.size(), partMib, seconds,
                ((long) mib << 20) / seconds / 1e6);
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    /** Every instance leads its own process group; its pid file holds the leader's pid. */
    private static Map<Long, String> groups(Path runDir) throws IOException {
        Map<Long, String> groups = new HashMap<>();
        try (var files = Files.list(runDir.resolve("pids"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                String instance = file.getFileName().toString().replaceFirst("\\.pid$", "");
                groups.put(Long.parseLong(Files.readString(file).strip()), instance.replaceFirst("-\\d+$", ""));
            }
        }
        return groups;
    }
}
