package io.hybridstore.storagenode.testsupport;

import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.storagenode.StorageNodeApplication;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A standalone storage node in its own JVM, launched with the test class path, so that it can be killed. */
public final class ChildNode implements AutoCloseable {

    private final Process process;
    private final NodeInfo node;

    private ChildNode(Process process, NodeInfo node) {
        this.process = process;
        this.node = node;
    }

    /**
     * Starts a node on {@code dataDir} and waits until it answers {@code /health}.
     *
     * @param fileSizeLimitKib when positive, the node runs under {@code ulimit -f}, so that writing a file beyond
     *                         that size fails with EFBIG: a real I/O error without a real broken disk
     */
    public static ChildNode start(String nodeId, int port, Path dataDir, Path log, int fileSizeLimitKib)
            throws IOException, InterruptedException {
        return start(nodeId, port, dataDir, log, fileSizeLimitKib, List.of(), List.of());
    }

    /** As above, with extra JVM options and extra "key=value" settings. */
    public static ChildNode start(String nodeId, int port, Path dataDir, Path log, int fileSizeLimitKib,
                                  List<String> jvmOptions, List<String> properties)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int wirePort = FreePort.find();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                StorageNodeApplication.class.getName(),
                "--server.port=" + port,
                "--hybridstore.storage-node.wire.port=" + wirePort,
                "--spring.main.banner-mode=off",
                "--hybridstore.storage-node.node-id=" + nodeId,
                "--hybridstore.storage-node.data-dir=" + dataDir,
                "--hybridstore.storage-node.durability=sync",
                "--hybridstore.storage-node.registration.enabled=false"));
        properties.forEach(p -> command.add("--" + p));
        if (fileSizeLimitKib > 0) {
            String quoted = String.join(" ", command.stream().map(arg -> "'" + arg + "'").toList());
            command.clear();
            command.addAll(List.of("/bin/sh", "-c", "ulimit -f " + fileSizeLimitKib * 2 + " && exec " + quoted));
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ChildNode child = new ChildNode(process, new NodeInfo(nodeId, "http://127.0.0.1:" + port,
                "127.0.0.1:" + wirePort));
        StorageNodeClient client = new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(1), Duration.ofSeconds(5));
        Await.until(Duration.ofSeconds(120), "the node answers /health", () -> {
            if (!process.isAlive()) {
                throw new AssertionError("storage node exited with " + process.exitValue() + "; see " + log);
            }
            return client.isHealthy(child.node);
        });
        return child;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public NodeInfo node() {
        return node;
    }

    /** SIGKILL on Linux: no shutdown hook, no flush, like a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
