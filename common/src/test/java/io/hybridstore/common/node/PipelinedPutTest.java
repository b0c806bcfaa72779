package io.hybridstore.common.node;

import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Small blobs are put from the caller's thread, every request sent before any answer is read: each put still gets
 * its own outcome, and a pooled connection the node closed meanwhile is retried as a single put's is.
 */
class PipelinedPutTest {

    private final StorageNodeClient client = new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(1),
            Duration.ofSeconds(2));
    private final List<BlobWireServer> servers = new ArrayList<>();
    private final Set<String> stored = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() {
        servers.forEach(BlobWireServer::close);
    }

    @Test
    void everyRequestIsSentBeforeAnyAnswerIsAwaited() throws IOException {
        CountDownLatch allArrived = new CountDownLatch(3);
        BlobWireServer.Handler waitForTheOthers = (header, body, from) -> {
            body.readAllBytes();
            allArrived.countDown();
            try {
                if (!allArrived.await(5, TimeUnit.SECONDS)) {
                    return new BlobWire.Response(500, 0, "the other puts never came".getBytes(StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stored.add(header.id().value());
            return new BlobWire.Response(201, 0, new byte[0]);
        };
        List<NodeInfo> nodes = List.of(node(1, waitForTheOthers), node(2, waitForTheOthers), node(3, waitForTheOthers));

        List<Optional<StorageNodeException>> results = client.putAll(List.of(put(nodes.get(0), "k.data.0"),
                put(nodes.get(1), "k.data.1"), put(nodes.get(2), "k.data.2")));

        assertThat(results).allMatch(Optional::isEmpty);
        assertThat(stored).containsExactlyInAnyOrder("k.data.0", "k.data.1", "k.data.2");
    }

    @Test
    void eachPutGetsItsOwnOutcome() throws IOException {
        NodeInfo accepting = node(1, (header, body, from) -> {
            body.readAllBytes();
            return new BlobWire.Response(201, 0, new byte[0]);
        });
        NodeInfo full = node(2, (header, body, from) -> {
            body.readAllBytes();
            return new BlobWire.Response(507, 0, "disk full".getBytes(StandardCharsets.UTF_8));
        });
        NodeInfo gone = new NodeInfo("storage-node-3", "http://127.0.0.1:1", "127.0.0.1:" + freePort());

        List<Optional<StorageNodeException>> results = client.putAll(List.of(put(accepting, "k.data.0"),
                put(full, "k.data.1"), put(gone, "k.data.2")));

        assertThat(results.get(0)).isEmpty();
        assertThat(results.get(1)).get().extracting(StorageNodeException::status).isEqualTo(507);
        assertThat(results.get(2)).get().extracting(StorageNodeException::status).isEqualTo(0);
    }

    @Test
    void aConnectionTheNodeClosedWhileIdleIsRetriedOnANewOne() throws Exception {
        BlobWireServer.Handler storing = (header, body, from) -> {
            body.readAllBytes();
            stored.add(header.id().value());
            return new BlobWire.Response(201, 0, new byte[0]);
        };
        BlobWireServer server = BlobWireServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Duration.ofMillis(100), Duration.ofSeconds(5), storing);
        servers.add(server);
        NodeInfo node = new NodeInfo("storage-node-1", "http://127.0.0.1:1", "127.0.0.1:" + server.port());
        assertThat(client.putAll(List.of(put(node, "k.data.0")))).allMatch(Optional::isEmpty);
        Thread.sleep(500);

        assertThat(client.putAll(List.of(put(node, "k.data.1")))).allMatch(Optional::isEmpty);
        assertThat(stored).containsExactlyInAnyOrder("k.data.0", "k.data.1");
    }

    @Test
    void aBlobTooLongToPipelineIsRefused() {
        NodeInfo node = new NodeInfo("storage-node-1", "http://127.0.0.1:1", "127.0.0.1:1");
        byte[] data = new byte[StorageNodeClient.PIPELINED_PUT_MAX + 1];

        assertThatThrownBy(() -> client.putAll(List.of(new StorageNodeClient.Put(node, new BlobId("k.data.0"), data,
                Checksums.crc32c(data))))).isInstanceOf(IllegalArgumentException.class);
    }

    private NodeInfo node(int n, BlobWireServer.Handler handler) throws IOException {
        BlobWireServer server = BlobWireServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Duration.ofSeconds(60), Duration.ofSeconds(5), handler);
        servers.add(server);
        return new NodeInfo("storage-node-" + n, "http://127.0.0.1:1", "127.0.0.1:" + server.port());
    }

    private static StorageNodeClient.Put put(NodeInfo node, String id) {
        byte[] data = ("blob " + id).getBytes(StandardCharsets.UTF_8);
        return new StorageNodeClient.Put(node, new BlobId(id), data, Checksums.crc32c(data));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
