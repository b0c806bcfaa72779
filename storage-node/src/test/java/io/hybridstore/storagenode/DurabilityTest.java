package io.hybridstore.storagenode;

import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import io.hybridstore.storagenode.testsupport.Await;
import io.hybridstore.storagenode.testsupport.ChildNode;
import io.hybridstore.storagenode.testsupport.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    private final StorageNodeClient client = new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(1), Duration.ofSeconds(10));

    @Test
    void everyAcknowledgedBlobSurvivesSigkill() throws Exception {
        int port = FreePort.find();
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();

        try (ChildNode first = ChildNode.start(NODE_ID, port, dir.resolve("data"), dir.resolve("first.log"), 0)) {
            AtomicBoolean stop = new AtomicBoolean();
            try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.submit(() -> write(first.node(), writer, stop, acknowledged));
                }
                Await.until(Duration.ofSeconds(60), ACKS_BEFORE_KILL + " acknowledgements",
                        () -> acknowledged.size() >= ACKS_BEFORE_KILL);
                first.kill();
                stop.set(true);
            }
        }

        try (ChildNode second = ChildNode.start(NODE_ID, port, dir.resolve("data"), dir.resolve("second.log"), 0)) {
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
            NodeInfo node = second.node();
            acknowledged.forEach((id, crc) -> assertThat(client.get(node, new BlobId(id), OptionalLong.of(crc)))
                    .as("acknowledged blob %s", id).isPresent());
            assertThat(client.info(node).blobCount()).isGreaterThanOrEqualTo(acknowledged.size());
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
}
