package io.hybridstore.benchmark.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The cluster's cumulative counters at one moment, as "key value" lines: the time, CPU ticks per service ({@code
 * cpu.<service>.user}, {@code cpu.<service>.system}, from {@link ProcCpu}), the requests and fsyncs the services
 * themselves count (from their Prometheus endpoints) and the lines in nginx's access logs. A counter a service does
 * not expose is simply absent; the report says "not measured" for it.
 *
 * <pre>java -cp benchmark/target/benchmarks.jar io.hybridstore.benchmark.measure.Snapshot --groups FILE
 *      --targets FILE --access-logs DIR --out FILE</pre>
 * groups: "pgid service" lines; targets: "kind url" lines, kind one of gateway, storage-node, etcd (the url is the
 * base of its metrics endpoint); access-logs: the directory with nginx's *.access.log files.
 */
public final class Snapshot {

    static final String WALL_MILLIS = "wall.millis";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path proc;
    private final Map<Long, String> groups;
    private final List<String[]> targets;
    private final Path accessLogs;

    public Snapshot(Path proc, Path groupsFile, Path targetsFile, Path accessLogs) throws IOException {
        this.proc = proc;
        this.groups = new TreeMap<>();
        for (String[] line : lines(groupsFile)) {
            groups.put(Long.parseLong(line[0]), line[1]);
        }
        this.targets = lines(targetsFile);
        this.accessLogs = accessLogs;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Snapshot snapshot = new Snapshot(Path.of(options.getOrDefault("proc", "/proc")), Path.of(options.get("groups")),
                Path.of(options.get("targets")), Path.of(options.get("access-logs")));
        snapshot.writeTo(Path.of(options.get("out")));
    }

    public void writeTo(Path out) throws IOException {
        StringBuilder text = new StringBuilder();
        take().forEach((key, value) -> text.append(key).append(' ')
                .append(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString()).append('\n'));
        Files.writeString(out, text);
    }

    Map<String, Double> take() throws IOException {
        Map<String, Double> counters = new TreeMap<>();
        counters.put(WALL_MILLIS, (double) System.currentTimeMillis());
        ProcCpu.read(proc, groups).forEach((service, ticks) -> {
            counters.put("cpu." + service + ".user", (double) ticks.user());
            counters.put("cpu." + service + ".system", (double) ticks.system());
        });
        for (String[] target : targets) {
            String kind = target[0];
            String text = scrape(target[1] + (kind.equals("etcd") ? "/metrics" : "/actuator/prometheus"));
            if (text != null) {
                Prometheus.countersOf(kind, text).forEach((key, value) -> counters.merge(key, value, Double::sum));
            }
        }
        if (Files.isDirectory(accessLogs)) {
            try (DirectoryStream<Path> logs = Files.newDirectoryStream(accessLogs, "*.access.log")) {
                for (Path log : logs) {
                    try (Stream<String> lines = Files.lines(log)) {
                        counters.merge(Hop.NGINX_REQUESTS, (double) lines.count(), Double::sum);
                    }
                }
            }
        }
        return counters;
    }

    /** The endpoint's text, or null when it does not answer (a stopped instance has no counters to give). */
    private static String scrape(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException unreachable) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static List<String[]> lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.split("\\s+", 2)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
