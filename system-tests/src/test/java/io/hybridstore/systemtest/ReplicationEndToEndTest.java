package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicationEndToEndTest {

    private final Api api = new Api(LocalCluster.get().gatewayUrl());

    @Test
    void writeReadDeleteRoundTripIsByteExact() {
        String value = "{\"id\": 12345678901234567890123, \"price\": 1.10, \"name\": \"caf\\u00e9 \u2615\", "
                + "\"nested\": {\"z\": [1, 2, {\"a\": null}], \"empty\": \"\"}, \"like_count\": 7}";

        Api.Response written = api.write("e2e/replication/round-trip", "replication", value);
        assertThat(written.status()).as(written.text()).isEqualTo(200);
        JsonNode body = written.json();
        assertThat(body.get("status").asString()).isEqualTo("ok");
        assertThat(body.get("strategy").asString()).isEqualTo("replication");
        assertThat(body.get("nodes_written")).hasSize(3);
        assertThat(body.get("partial").asBoolean()).isFalse();
        assertThat(body.get("version").asString()).isNotBlank();

        Api.Response read = api.read("e2e/replication/round-trip");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text()).isEqualTo(value);

        assertThat(api.delete("e2e/replication/round-trip").status()).isEqualTo(200);
        assertThat(api.read("e2e/replication/round-trip").status()).isEqualTo(404);
        assertThat(api.delete("e2e/replication/round-trip").status()).isEqualTo(404);
    }

    @Test
    void overwriteReadsTheNewestVersionAndFreesTheOldOne() {
        String key = "e2e/replication/overwrite";
        String first = "{\"v\": 1, \"pad\": \"" + "a".repeat(1000) + "\"}";
        String second = "{\"v\": 2}";
        Api.Response written = api.write(key, "replication", first);
        assertThat(written.status()).isEqualTo(200);
        Api.Response overwritten = api.write(key, "replication", second);
        assertThat(overwritten.status()).isEqualTo(200);
        List<String> versions = List.of(written.json().get("version").asString(),
                overwritten.json().get("version").asString());

        assertThat(api.read(key).text()).isEqualTo(second);
        HealerTestCluster cluster = new HealerTestCluster();
        long newest = 3L * second.getBytes(StandardCharsets.UTF_8).length;
        assertThat(cluster.bytesOnceAt(versions, newest)).as("only the newest version's 3 replicas remain")
                .isEqualTo(newest);

        assertThat(api.delete(key).status()).isEqualTo(200);
        assertThat(cluster.bytesOnceAt(versions, 0)).isZero();
    }

    @Test
    void keysMayContainSlashesAndUnicode() {
        String key = "tenant-é/orders/2026/11/25/#42 ✓";
        String value = "{\"ok\":true}";
        assertThat(api.write(key, "replication", value).status()).isEqualTo(200);
        assertThat(api.read(key).text()).isEqualTo(value);
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @Test
    void defaultStrategyIsReplication() {
        Api.Response written = api.post("/write?key=e2e-default", "application/json", "{\"a\":1}".getBytes());
        assertThat(written.status()).isEqualTo(200);
        assertThat(written.json().get("strategy").asString()).isEqualTo("replication");
        assertThat(api.delete("e2e-default").status()).isEqualTo(200);
    }

}
