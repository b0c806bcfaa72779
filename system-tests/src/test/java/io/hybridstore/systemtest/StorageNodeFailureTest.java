package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StorageNodeFailureTest {

    private final LocalCluster cluster = LocalCluster.get();
    private final Api api = new Api(cluster.gatewayUrl());

    @Test
    void writesAndReadsContinueWithOneNodeKilled() {
        Map<String, String> written = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            written.put("e2e/failure/before-" + i, value(i));
            assertThat(api.write("e2e/failure/before-" + i, "replication", value(i)).status()).isEqualTo(200);
        }
        cluster.kill("storage-node-3");
        try {
            for (int i = 0; i < 30; i++) {
                String key = "e2e/failure/during-" + i;
                written.put(key, value(100 + i));
                Api.Response response = api.write(key, "replication", value(100 + i));
                assertThat(response.status()).as(response.text()).isEqualTo(200);
            }
            written.forEach((key, value) -> {
                Api.Response read = api.read(key);
                assertThat(read.status()).as(key).isEqualTo(200);
                assertThat(read.text()).as(key).isEqualTo(value);
            });
        } finally {
            cluster.start("storage-node-3");
        }
        Api.Response status = api.get("/node_status");
        assertThat(status.json().get(cluster.storageNodeUrl(3)).asString()).isEqualTo("healthy");
        for (String key : written.keySet()) {
            assertThat(api.delete(key).status()).isEqualTo(200);
        }
    }

    /**
     * Right after a kill the nodes stay registered until their leases expire, so placement still picks them: each
     * write must move those replicas to the next live nodes rather than fail below quorum.
     */
    @Test
    void replicatedWritesRightAfterTwoNodesWereKilledAllSucceedWithThreeLiveReplicas() throws InterruptedException {
        Map<String, String> written = new LinkedHashMap<>();
        List<String> dead = List.of(cluster.storageNodeUrl(2), cluster.storageNodeUrl(5));
        cluster.kill("storage-node-2");
        cluster.kill("storage-node-5");
        try {
            for (int i = 0; i < 25; i++) {
                String key = "e2e/failure/two-down-" + i;
                written.put(key, value(200 + i));
                Api.Response response = api.write(key, "replication", value(200 + i));
                assertThat(response.status()).as("write " + i + ": " + response.text()).isEqualTo(200);
                List<String> nodes = new ArrayList<>();
                response.json().get("nodes_written").forEach(node -> nodes.add(node.asString()));
                assertThat(nodes).as("write " + i).hasSize(3).doesNotContainAnyElementsOf(dead);
                Thread.sleep(200);
            }
            written.forEach((key, value) -> assertThat(api.read(key).text()).as(key).isEqualTo(value));
        } finally {
            cluster.start("storage-node-2", "storage-node-5");
        }
        for (String key : written.keySet()) {
            assertThat(api.delete(key).status()).isEqualTo(200);
        }
    }

    @Test
    void nodeStatusListsEveryStorageNodeAsHealthy() {
        Api.Response status = api.get("/node_status");
        assertThat(status.status()).isEqualTo(200);
        for (int n = 1; n <= 6; n++) {
            assertThat(status.json().get(cluster.storageNodeUrl(n)).asString()).as("node " + n).isEqualTo("healthy");
        }
    }

    private static String value(int i) {
        return "{\"n\": " + i + ", \"text\": \"value number " + i + "\"}";
    }
}
