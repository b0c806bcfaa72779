package io.hybridstore.storagenode.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real single-member etcd on free ports in a temp directory; it can be stopped and started again on them. */
public final class EtcdProcess implements AutoCloseable {

    private static final String BINARY = "/usr/bin/etcd";

    private final Path dir;
    private final int clientPort = FreePort.find();
    private final int peerPort = FreePort.find();
    private Process process;

    public EtcdProcess(Path dir) {
        this.dir = dir;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    public EtcdProcess start() throws IOException, InterruptedException {
        String peer = "http://127.0.0.1:" + peerPort;
        process = new ProcessBuilder(BINARY,
                "--name", "test",
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", endpoint(),
                "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "test=" + peer)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Files.createDirectories(dir).resolve("etcd.log").toFile()))
                .start();
        awaitHealthy();
        return this;
    }

    private void awaitHealthy() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("true")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + "; see " + dir.resolve("etcd.log"));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("etcd did not become healthy; see " + dir.resolve("etcd.log"));
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
