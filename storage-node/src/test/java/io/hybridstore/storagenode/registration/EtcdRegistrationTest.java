package io.hybridstore.storagenode.registration;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import io.hybridstore.storagenode.testsupport.Await;
import io.hybridstore.storagenode.testsupport.EtcdProcess;
import io.hybridstore.storagenode.testsupport.InJvmNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registration against a real etcd process, including losing it and getting it back. */
class EtcdRegistrationTest {

    private static final String NODE_ID = "registered-node";
    private static final EtcdKeys KEYS = new EtcdKeys("/registration-test/");

    @TempDir
    Path dir;

    private final StorageNodeClient client = new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(1), Duration.ofSeconds(5));

    @Test
    void registersUnderALeaseRefusesWritesWithoutEtcdAndReRegistersWhenItIsBack() throws Exception {
        try (EtcdProcess etcd = new EtcdProcess(dir.resolve("etcd")).start();
             InJvmNode running = InJvmNode.start(NODE_ID, dir.resolve("data"),
                     "hybridstore.etcd.endpoints=" + etcd.endpoint(),
                     "hybridstore.etcd.prefix=" + KEYS.prefix(),
                     "hybridstore.storage-node.registration.ttl=2s")) {
            NodeInfo node = running.node();
            Await.until(Duration.ofSeconds(60), "registered", () -> client.isHealthy(node));
            assertThat(registration(etcd)).hasValueSatisfying(kv -> {
                assertThat(JsonMapper.builder().build().readValue(kv.getValue().getBytes(), NodeInfo.class))
                        .isEqualTo(node);
                assertThat(kv.getLease()).isNotZero();
            });
            putWhileRegistered(node, "while-registered", 1);

            etcd.stop();
            Await.until(Duration.ofSeconds(60), "writes refused", () -> !client.isHealthy(node));
            assertThatThrownBy(() -> client.put(node, new BlobId("while-lost"), new byte[] {2}, crcOf(2)))
                    .isInstanceOf(StorageNodeException.class)
                    .hasMessageContaining("503").hasMessageContaining("not_accepting_writes");
            assertThat(client.get(node, new BlobId("while-registered"), OptionalLong.empty()))
                    .as("reads go on without etcd").isPresent();

            etcd.start();
            Await.until(Duration.ofSeconds(30), "re-registered", () -> client.isHealthy(node));
            putWhileRegistered(node, "after-return", 2);
            assertThat(registration(etcd)).isPresent();
        }
    }

    /**
     * A put the node takes. With a 2 s lease, a renewal that a loaded machine delays past the TTL makes the node
     * refuse writes for a moment, as it must (etcd may have expired the lease); the put is retried over that.
     */
    private void putWhileRegistered(NodeInfo node, String id, int b) throws InterruptedException {
        Await.until(Duration.ofSeconds(30), "the node takes a put", () -> {
            try {
                client.put(node, new BlobId(id), new byte[] {(byte) b}, crcOf(b));
                return true;
            } catch (StorageNodeException e) {
                assertThat(e.getMessage()).contains("not_accepting_writes");
                return false;
            }
        });
    }

    private static long crcOf(int b) {
        return Checksums.crc32c(new byte[] {(byte) b});
    }

    private static Optional<KeyValue> registration(EtcdProcess etcd) throws Exception {
        try (Client etcdClient = Client.builder().endpoints(etcd.endpoint()).build()) {
            List<KeyValue> kvs = etcdClient.getKVClient().get(KEYS.node(NODE_ID)).get().getKvs();
            return kvs.stream().findFirst();
        }
    }
}
