package io.hybridstore.gateway.write;

import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.node.BlobWire;
import io.hybridstore.common.node.BlobWireServer;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An overwrite's displaced blobs are deleted after its answer, a node's in one request: the write never waits for
 * them, and the nodes see a request per gathering, not per blob.
 */
class DiscardsTest {

    private final List<BlobWireServer> servers = new ArrayList<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch nodesAnswer = new CountDownLatch(1);
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private Discards discards;

    @AfterEach
    void stop() {
        nodesAnswer.countDown();
        if (discards != null) {
            discards.close();
        }
        servers.forEach(BlobWireServer::close);
    }

    @Test
    void displacedBlobsAreDeletedLaterInOneRequestPerNode() throws Exception {
        List<NodeInfo> nodes = nodes(3);
        discards = discards(nodes, Duration.ofMillis(50), 100_000);
        List<BlobRef> displaced = new ArrayList<>();
        for (int write = 0; write < 200; write++) {
            String blob = "v" + write + ".data.0";
            List<BlobRef> replicas = nodes.stream().map(node -> new BlobRef(node.id(), blob)).toList();
            displaced.addAll(replicas);
            // The nodes hold every request until told to answer: a caller that waited for them would hang here.
            discards.discard(replicas);
        }
        assertThat(deleted).isEmpty();

        nodesAnswer.countDown();
        awaitDeleted(displaced.size());

        assertThat(deleted).containsExactlyInAnyOrderElementsOf(keys(displaced));
        assertThat(requests.get()).as("requests for %d blobs", displaced.size()).isLessThan(displaced.size() / 10);
        assertThat(registry.counter("hybridstore.gateway.discards", "outcome", "deleted").count())
                .isEqualTo(displaced.size());
    }

    @Test
    void blobsOfANodeThatIsDownAreLeftForGarbageCollection() throws Exception {
        List<NodeInfo> nodes = new ArrayList<>(nodes(1));
        nodes.add(new NodeInfo("storage-node-down", "http://127.0.0.1:1", "127.0.0.1:1"));
        nodesAnswer.countDown();
        discards = discards(nodes, Duration.ofMillis(10), 100_000);

        discards.discard(List.of(new BlobRef("storage-node-1", "v1.data.0"),
                new BlobRef("storage-node-down", "v1.data.1")));

        awaitDeleted(1);
        assertThat(deleted).containsExactly("storage-node-1/v1.data.0");
        awaitCount("failed", 1);
    }

    @Test
    void beyondItsBoundTheQueueLeavesBlobsForGarbageCollection() throws Exception {
        List<NodeInfo> nodes = nodes(1);
        discards = discards(nodes, Duration.ofSeconds(1), 2);

        discards.discard(List.of(new BlobRef("storage-node-1", "a"), new BlobRef("storage-node-1", "b")));
        discards.discard(List.of(new BlobRef("storage-node-1", "c")));

        assertThat(registry.counter("hybridstore.gateway.discards", "outcome", "dropped").count()).isEqualTo(1);
        nodesAnswer.countDown();
        awaitDeleted(2);
        assertThat(deleted).containsExactlyInAnyOrder("storage-node-1/a", "storage-node-1/b");
    }

    @Test
    void closingSendsWhatIsHeld() throws Exception {
        List<NodeInfo> nodes = nodes(1);
        nodesAnswer.countDown();
        discards = discards(nodes, Duration.ofHours(1), 100);

        discards.discard(List.of(new BlobRef("storage-node-1", "a")));
        discards.close();

        assertThat(deleted).containsExactly("storage-node-1/a");
    }

    private static List<String> keys(List<BlobRef> refs) {
        return refs.stream().map(ref -> ref.node() + "/" + ref.blob()).toList();
    }

    private void awaitDeleted(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (deleted.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(deleted).hasSize(count);
    }

    private void awaitCount(String outcome, double count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.counter("hybridstore.gateway.discards", "outcome", outcome).count() < count
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(registry.counter("hybridstore.gateway.discards", "outcome", outcome).count()).isEqualTo(count);
    }

    private Discards discards(List<NodeInfo> nodes, Duration delay, int maxPending) {
        NodeDirectory directory = new NodeDirectory(PartWriterFallbackTest.registry(nodes), new EtcdKeys(null),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Clock.systemUTC());
        return new Discards(directory, new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(1),
                Duration.ofSeconds(10)), new DiscardProperties(delay, maxPending), registry);
    }

    private List<NodeInfo> nodes(int count) throws IOException {
        List<NodeInfo> nodes = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            String id = "storage-node-" + n;
            BlobWireServer server = BlobWireServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    Duration.ofSeconds(60), Duration.ofSeconds(10), (request, body, from) -> {
                        requests.incrementAndGet();
                        byte[] list = body.readAllBytes();
                        try {
                            nodesAnswer.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        if (request.op() != BlobWire.Op.DELETE_MANY || request.durable()) {
                            return new BlobWire.Response(400, 0, new byte[0]);
                        }
                        BlobWire.parseIdList(list).orElseThrow().forEach(blob -> deleted.add(id + "/" + blob));
                        return new BlobWire.Response(204, 0, new byte[0]);
                    });
            servers.add(server);
            nodes.add(new NodeInfo(id, "http://127.0.0.1:1", "127.0.0.1:" + server.port()));
        }
        return nodes;
    }
}
