package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ErasureCodedEndToEndTest {

    private final LocalCluster cluster = LocalCluster.get();
    private final Api api = new Api(cluster.gatewayUrl());

    @Test
    void smallObjectRoundTripsThroughSixShards() {
        String key = "e2e/ec/small";
        String value = "{\"name\":\"tiny\",\"n\":1}";
        Api.Response written = api.write(key, "ec", value);
        assertThat(written.status()).as(written.text()).isEqualTo(200);
        JsonNode body = written.json();
        assertThat(body.get("strategy").asString()).isEqualTo("ec");
        assertThat(body.get("chunks_written").asInt()).isEqualTo(6);
        assertThat(body.get("total_chunks").asInt()).isEqualTo(6);
        assertThat(api.read(key).text()).isEqualTo(value);
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @Test
    void largeObjectIsStripedAndReadBackExactly() {
        String key = "e2e/ec/large";
        String value = Values.large(2_600_000, 7);
        long before = usage();
        Api.Response written = api.write(key, "ec", value);
        assertThat(written.status()).as(written.text()).isEqualTo(200);
        assertThat(written.json().get("total_chunks").asInt()).as("3 stripes of 1 MiB").isEqualTo(18);
        assertThat(api.read(key).text()).isEqualTo(value);
        assertThat(usage() - before).as("1.5x overhead of RS(4,2)").isBetween((long) (value.length() * 1.5), (long) (value.length() * 1.5) + 64);
        assertThat(api.delete(key).status()).isEqualTo(200);
        assertThat(usage()).isEqualTo(before);
    }

    @Test
    void readSurvivesTwoStoppedNodesAndWritesBelowQuorumChangeNothing() {
        String key = "e2e/ec/degraded";
        String value = Values.large(300_000, 3);
        assertThat(api.write(key, "ec", value).status()).isEqualTo(200);
        long before = usage();
        List<String> stopped = List.of("storage-node-2", "storage-node-5");
        stopped.forEach(cluster::kill);
        try {
            Api.Response read = api.read(key);
            assertThat(read.status()).as(read.text()).isEqualTo(200);
            assertThat(read.text()).isEqualTo(value);

            Api.Response refused = api.write(key, "ec", "{\"replaced\":true}");
            assertThat(refused.status()).as(refused.text()).isEqualTo(503);
            assertThat(refused.json().get("error").asString()).isIn("write_quorum_not_reached", "insufficient_nodes");
            assertThat(api.read(key).text()).isEqualTo(value);
        } finally {
            stopped.forEach(cluster::start);
        }
        assertThat(usage()).as("the refused write left no blob behind").isEqualTo(before);
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    private long usage() {
        return api.get("/storage_usage").json().get("total_system_size").asLong();
    }
}
