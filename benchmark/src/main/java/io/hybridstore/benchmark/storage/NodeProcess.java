package io.hybridstore.benchmark.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A storage node launched from its jar, standalone, on a free port and a temp data directory. */
final class NodeProcess implements AutoCloseable {

    private static final Pattern FSYNCS = Pattern.compile("\"fsyncs\"\\s*:\\s*(\\d+)");

    private final Process process;
    private final Path dir;
    private final String url;

    private NodeProcess(Process process, Path dir, String url) {
        this.process = process;
        this.dir = dir;
        this.url = url;
    }

    static NodeProcess launch(Path jar, String durability) throws IOException {
        int port = freePort();
        Path dir = Files.createTempDirectory("storage-bench-" + durability + "-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-jar", jar.toString(),
                "--server.port=" + port,
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN",
                "--hybridstore.storage-node.node-id=bench-" + durability,
                "--hybridstore.storage-node.data-dir=" + dir.resolve("data"),
                "--hybridstore.storage-node.durability=" + durability,
                "--hybridstore.storage-node.registration.enabled=false")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("node.log").toFile())
                .start();
        return new NodeProcess(process, dir, "http://127.0.0.1:" + port);
    }

    String url() {
        return url;
    }

    void awaitHealthy(HttpClient http, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("storage node exited with " + process.exitValue() + "; log: "
                        + dir.resolve("node.log"));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("storage node at " + url + " did not become healthy; log: "
                + dir.resolve("node.log"));
    }

    /** The node's fsync count from {@code /info}. */
    long fsyncs(HttpClient http) throws IOException, InterruptedException {
        String info = http.send(HttpRequest.newBuilder(URI.create(url + "/info")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = FSYNCS.matcher(info);
        if (!matcher.find()) {
            throw new IllegalStateException("no fsyncs in /info: " + info);
        }
        return Long.parseLong(matcher.group(1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
