package io.hybridstore.benchmark.storage;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.auth.ClusterSecrets;
import io.hybridstore.common.auth.InternalAuthProperties;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A storage node launched from its jar, standalone, on free ports and a temp data directory, with a cluster secret
 * of its own that {@link #client()} signs with.
 */
final class NodeProcess implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final NodeInfo node;
    private final StorageNodeClient client;

    private NodeProcess(Process process, Path dir, NodeInfo node, StorageNodeClient client) {
        this.process = process;
        this.dir = dir;
        this.node = node;
        this.client = client;
    }

    static NodeProcess launch(Path jar, String durability) throws IOException {
        int port = freePort();
        int wirePort = freePort();
        Path dir = Files.createTempDirectory("storage-bench-" + durability + "-");
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString(),
                "--server.port=" + port,
                "--hybridstore.storage-node.wire.port=" + wirePort,
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN",
                "--hybridstore.storage-node.node-id=bench-" + durability,
                "--hybridstore.storage-node.data-dir=" + dir.resolve("data"),
                "--hybridstore.storage-node.durability=" + durability,
                "--hybridstore.storage-node.registration.enabled=false")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("node.log").toFile());
        // In the environment, not on the command line, which every local user can read.
        builder.environment().put("HYBRIDSTORE_INTERNAL_AUTH_SECRETS", secret);
        NodeInfo node = new NodeInfo("bench-" + durability, "http://127.0.0.1:" + port, "127.0.0.1:" + wirePort);
        StorageNodeClient client = new StorageNodeClient(new ClusterAuth(ClusterSecrets.of(secret),
                InternalAuthProperties.DEFAULT_MAX_SKEW, Clock.systemUTC()), Duration.ofSeconds(2),
                Duration.ofSeconds(30));
        return new NodeProcess(builder.start(), dir, node, client);
    }

    NodeInfo node() {
        return node;
    }

    StorageNodeClient client() {
        return client;
    }

    void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("storage node exited with " + process.exitValue() + "; log: "
                        + dir.resolve("node.log"));
            }
            if (client.isHealthy(node)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("storage node at " + node.url() + " did not become healthy; log: "
                + dir.resolve("node.log"));
    }

    /** The node's fsync count from {@code /info}. */
    long fsyncs() {
        return client.info(node).fsyncs();
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
