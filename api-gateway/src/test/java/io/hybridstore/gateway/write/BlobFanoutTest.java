package io.hybridstore.gateway.write;

import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.node.BlobWire;
import io.hybridstore.common.node.BlobWireServer;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delete of a gigabyte object names thousands of blobs (1 MB stripes, six shards each): deleting all of them at
 * once opened a connection per blob, and the gateway ran out of heap on the connections' buffers.
 */
class BlobFanoutTest {

    private final List<BlobWireServer> servers = new ArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stopServers() {
        servers.forEach(BlobWireServer::close);
    }

    @Test
    void deletingThousandsOfBlobsKeepsABoundedNumberInFlight() throws IOException {
        List<NodeInfo> nodes = new ArrayList<>();
        for (int n = 1; n <= 6; n++) {
            BlobWireServer server = BlobWireServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    Duration.ofSeconds(60), Duration.ofSeconds(10), (request, body, from) -> {
                        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        deleted.add(request.id().value());
                        running.decrementAndGet();
                        return new BlobWire.Response(204, 0, new byte[0]);
                    });
            servers.add(server);
            nodes.add(new NodeInfo("storage-node-" + n, "http://127.0.0.1:1", "127.0.0.1:" + server.port()));
        }
        NodeDirectory directory = new NodeDirectory(PartWriterFallbackTest.registry(nodes), new EtcdKeys(null),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Clock.systemUTC());
        BlobFanout fanout = new BlobFanout(new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(1),
                Duration.ofSeconds(10)), directory);
        List<BlobRef> blobs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            blobs.add(new BlobRef(nodes.get(i % nodes.size()).id(), "stripe-" + i / 6 + "-shard-" + i % 6));
        }

        assertThat(fanout.deleteAll(blobs)).isZero();

        assertThat(deleted).hasSize(blobs.size());
        assertThat(mostAtOnce.get()).isBetween(2, BlobFanout.MAX_PARALLEL_DELETES);
    }
}
