package io.hybridstore.storagenode;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import io.hybridstore.storagenode.testsupport.Await;
import io.hybridstore.storagenode.testsupport.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a storage node with SIGKILL while writers are mid-flight and checks, after a restart on the same data
 * directory, that every blob it had acknowledged is there and intact.
 */
class DurabilityTest {

    private static final String NODE_ID = "durability-node";
    private static final int WRITERS = 16;
    private static final int ACKS_BEFORE_KILL = 400;

    @TempDir
    Path dir;

    private final StorageNodeClient client = new StorageNodeClient(Duration.ofSeconds(1), Duration.ofSeconds(10));

    @Test
    void everyAcknowledgedBlobSurvivesSigkill() throws Exception {
        int port = FreePort.find();
        NodeInfo node = new NodeInfo(NODE_ID, "http://127.0.0.1:" + port);
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();

        Process first = launch(port, "first.log");
        try {
            awaitHealthy(node, first);
            AtomicBoolean stop = new AtomicBoolean();
            try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.submit(() -> write(node, writer, stop, acknowledged));
                }
                Await.until(Duration.ofSeconds(60), ACKS_BEFORE_KILL + " acknowledgements",
                        () -> acknowledged.size() >= ACKS_BEFORE_KILL);
                first.destroyForcibly();
                stop.set(true);
            }
        } finally {
            first.destroyForcibly().waitFor();
        }

        Process second = launch(port, "second.log");
        try {
            awaitHealthy(node, second);
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
            acknowledged.forEach((id, crc) -> assertThat(client.get(node, new BlobId(id), OptionalLong.of(crc)))
                    .as("acknowledged blob %s", id).isPresent());
            assertThat(client.info(node).blobCount()).isGreaterThanOrEqualTo(acknowledged.size());
        } finally {
            second.destroyForcibly().waitFor();
        }
    }

    private void write(NodeInfo node, int writer, AtomicBoolean stop, Map<String, Long> acknowledged) {
        Random random = new Random(writer);
        for (int i = 0; !stop.get(); i++) {
            byte[] data = new byte[1 + random.nextInt(16 * 1024)];
            random.nextBytes(data);
            long crc = Checksums.crc32c(data);
            String id = "w" + writer + "-" + i;
            try {
                client.put(node, new BlobId(id), data, crc);
            } catch (StorageNodeException e) {
                return; // killed under us: this one was never acknowledged
            }
            acknowledged.put(id, crc);
        }
    }

    private Process launch(int port, String logName) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                StorageNodeApplication.class.getName(),
                "--server.port=" + port,
                "--spring.main.banner-mode=off",
                "--hybridstore.storage-node.node-id=" + NODE_ID,
                "--hybridstore.storage-node.data-dir=" + dir.resolve("data"),
                "--hybridstore.storage-node.durability=sync",
                "--hybridstore.storage-node.registration.enabled=false")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName).toFile())
                .start();
    }

    private void awaitHealthy(NodeInfo node, Process process) throws InterruptedException {
        Await.until(Duration.ofSeconds(120), "the node answers /health", () -> {
            if (!process.isAlive()) {
                throw new AssertionError("storage node exited with " + process.exitValue());
            }
            return client.isHealthy(node);
        });
    }
}
