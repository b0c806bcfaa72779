package io.hybridstore.gateway.write;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.Shard;
import io.hybridstore.common.node.BlobWire;
import io.hybridstore.common.node.BlobWireServer;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.gateway.GatewayProperties;
import io.hybridstore.gateway.placement.Placement;
import io.hybridstore.gateway.write.PartWriter.ReplicatedPlan;
import io.hybridstore.gateway.write.PartWriter.StripeSource;
import io.hybridstore.gateway.write.PartWriter.StripedPlan;
import io.hybridstore.gateway.write.PartWriter.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage nodes killed a moment ago are still registered (their leases have not expired): a write must route
 * around them instead of losing its quorum while healthy nodes are idle.
 */
class PartWriterFallbackTest {

    private final Map<String, BlobWireServer> servers = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> stored = new ConcurrentHashMap<>();
    private final List<BlobRef> relocated = new CopyOnWriteArrayList<>();
    private PartWriter writer;
    private Placement placement;

    private void cluster(int nodes) throws IOException {
        List<NodeInfo> registered = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            String id = "storage-node-" + n;
            stored.put(id, ConcurrentHashMap.newKeySet());
            BlobWireServer server = BlobWireServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    Duration.ofSeconds(60), Duration.ofSeconds(10), (request, body, from) -> {
                        body.readAllBytes();
                        stored.get(id).add(request.id().value());
                        return new BlobWire.Response(201, 0, new byte[0]);
                    });
            servers.put(id, server);
            registered.add(new NodeInfo(id, "http://127.0.0.1:1", "127.0.0.1:" + server.port()));
        }
        GatewayProperties properties = new GatewayProperties("gateway-1", DataSize.ofMegabytes(64), 64,
                DataSize.ofKilobytes(512), 3, 2, 5, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(10),
                Duration.ofSeconds(5), 0, List.of("like_count"),
                new GatewayProperties.ErasureCoding(4, 2, DataSize.ofKilobytes(64)));
        NodeDirectory directory = new NodeDirectory(registry(registered), new EtcdKeys(null), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Clock.systemUTC());
        StorageNodeClient client = new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(1), Duration.ofSeconds(2));
        placement = new Placement(directory, properties, Clock.systemUTC());
        writer = new PartWriter(placement, new BlobFanout(client, directory), properties);
    }

    @AfterEach
    void stopServers() {
        servers.values().forEach(BlobWireServer::close);
    }

    /** SIGKILL: the port refuses connections, but the node stays registered until its lease runs out. */
    private void kill(NodeInfo node) {
        servers.get(node.id()).close();
    }

    @Test
    void aReplicatedWriteWhoseTwoPlannedNodesJustDiedStoresEveryReplicaOnTheNextNodes() throws IOException {
        cluster(6);
        ReplicatedPlan plan = writer.planReplicated("user:1", "v1", "data");
        List<NodeInfo> dead = plan.targets().stream().limit(2).map(Target::node).toList();
        dead.forEach(this::kill);

        PartWriter.WrittenReplicated written = writer.writeReplicated(plan, "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                relocated::addAll);

        List<String> nodes = written.part().replicas().stream().map(Replica::node).toList();
        assertThat(nodes).hasSize(3).doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(dead.stream().map(NodeInfo::id).toList());
        written.part().replicas().forEach(replica -> assertThat(stored.get(replica.node())).contains(replica.blob()));
        List<BlobRef> moved = written.part().replicas().stream()
                .filter(r -> plan.targets().stream().noneMatch(t -> t.node().id().equals(r.node())))
                .map(r -> new BlobRef(r.node(), r.blob())).toList();
        assertThat(moved).hasSize(2);
        assertThat(relocated).as("every relocated blob was announced before it was put")
                .containsExactlyInAnyOrderElementsOf(moved);
    }

    @Test
    void theNextPlacementsAvoidANodeThatJustFailed() throws IOException {
        cluster(6);
        ReplicatedPlan plan = writer.planReplicated("user:2", "v1", "data");
        NodeInfo dead = plan.targets().getFirst().node();
        kill(dead);
        writer.writeReplicated(plan, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), relocated::addAll);

        for (int i = 0; i < 20; i++) {
            assertThat(writer.planReplicated("user:other-" + i, "v" + i, "data").targets())
                    .extracting(Target::node).doesNotContain(dead);
        }
    }

    @Test
    void anErasureCodedWriteWithTwoPlannedNodesDeadStoresEveryShardOnDistinctLiveNodes() throws IOException {
        cluster(8);
        byte[] value = "x".repeat(200_000).getBytes(StandardCharsets.UTF_8);
        StripedPlan plan = writer.planStriped("doc:1", "v1", "data", value.length);
        List<NodeInfo> dead = plan.stripes().getFirst().stream().limit(2).map(Target::node).toList();
        dead.forEach(this::kill);

        PartWriter.WrittenStriped written = writer.writeStriped(plan, StripeSource.of(value), relocated::addAll);

        assertThat(written.chunksWritten()).isEqualTo(written.totalChunks());
        for (var stripe : written.part().stripes()) {
            List<String> nodes = stripe.shards().stream().map(Shard::node).toList();
            assertThat(nodes).hasSize(6).doesNotHaveDuplicates()
                    .doesNotContainAnyElementsOf(dead.stream().map(NodeInfo::id).toList());
            stripe.shards().forEach(shard -> assertThat(stored.get(shard.node())).contains(shard.blob()));
        }
        assertThat(relocated.stream().map(BlobRef::node).collect(Collectors.toSet()))
                .doesNotContainAnyElementsOf(dead.stream().map(NodeInfo::id).toList());
    }

    /** An etcd that lists {@code nodes} as registered. */
    static KV registry(List<NodeInfo> nodes) {
        RangeResponse.Builder range = RangeResponse.newBuilder();
        for (NodeInfo node : nodes) {
            range.addKvs(KeyValue.newBuilder()
                    .setKey(ByteString.copyFromUtf8("/hybridstore/nodes/" + node.id()))
                    .setValue(ByteString.copyFromUtf8("{\"id\":\"" + node.id() + "\",\"url\":\"" + node.url()
                            + "\",\"wire\":\"" + node.wire() + "\"}")));
        }
        GetResponse response = new GetResponse(range.build(), ByteSequence.EMPTY);
        return (KV) Proxy.newProxyInstance(KV.class.getClassLoader(), new Class<?>[]{KV.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("get")) {
                        return CompletableFuture.completedFuture(response);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
