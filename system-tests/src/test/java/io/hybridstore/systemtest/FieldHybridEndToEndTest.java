package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FieldHybridEndToEndTest {

    private final Api api = new Api(LocalCluster.get().gatewayUrl());

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"id\":12345678901234567890,\"like_count\":1.10,\"title\":\"caf\\u00e9 \\\"x\\\" \\\\ \u2615\",\"view_count\":-0.0e-5}",
            "{\"nested\":{\"like_count\":1,\"deep\":[1, 2, {\"a\" : null}]},\"like_count\":true,\"empty\":\"\"}",
            "{\"a,b\":\"}{\",\"status_code\":\"\\\"\",\"\\u006c\":false,\"l2\":[]}",
            "{\"like_count\":5,\"view_count\":6}",
            "{\"only\":\"cold\",\"fields\":[{},[]]}"})
    void roundTripIsExactForAwkwardJson(String value) {
        String key = "e2e/hybrid/awkward";
        Api.Response written = api.write(key, "field_hybrid", value);
        assertThat(written.status()).as(written.text()).isEqualTo(200);
        assertThat(api.read(key).text()).isEqualTo(value);
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @Test
    void pureHotUpdateWritesNoColdBytes() {
        String key = "e2e/hybrid/pure-hot";
        String description = Values.large(200_000, 11);
        String first = "{\"like_count\":1,\"description\":" + quoted(description) + ",\"view_count\":10}";
        JsonNode created = api.write(key, "field_hybrid", first).json();
        assertThat(created.get("is_pure_hot_update").asBoolean()).isFalse();
        assertThat(created.get("operation_type").asString()).isEqualTo("Cold Update");
        assertThat(created.get("cold_chunks_written").asInt()).isEqualTo(6);
        HealerTestCluster cluster = new HealerTestCluster();
        List<String> versions = new ArrayList<>(List.of(created.get("version").asString()));
        long storedAfterCreate = cluster.bytesOf(versions);

        String second = "{\"like_count\":2,\"description\":" + quoted(description) + ",\"view_count\":11}";
        JsonNode updated = api.write(key, "field_hybrid", second).json();
        assertThat(updated.get("is_pure_hot_update").asBoolean()).isTrue();
        assertThat(updated.get("operation_type").asString()).isEqualTo("Pure Hot Update");
        assertThat(updated.get("cold_chunks_written").asInt()).isZero();
        assertThat(updated.get("hot_nodes_written").asInt()).isEqualTo(3);
        assertThat(api.read(key).text()).isEqualTo(second);
        versions.add(updated.get("version").asString());
        assertThat(cluster.bytesOnceAt(versions, storedAfterCreate))
                .as("the cold part is shared, the hot part replaced in place").isEqualTo(storedAfterCreate);

        String third = "{\"like_count\":3,\"description\":\"changed\",\"view_count\":12}";
        JsonNode coldChange = api.write(key, "field_hybrid", third).json();
        assertThat(coldChange.get("is_pure_hot_update").asBoolean()).isFalse();
        assertThat(coldChange.get("cold_chunks_written").asInt()).isEqualTo(6);
        assertThat(api.read(key).text()).isEqualTo(third);
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @Test
    void hotOnlyKeepsTheStoredColdPartAndRefusesColdChanges() {
        String key = "e2e/hybrid/hot-only";
        assertThat(api.write(key, "field_hybrid", "{\"title\":\"t\",\"like_count\":1,\"body\":[1,2]}").status()).isEqualTo(200);

        Api.Response hotOnly = api.post("/write?key=" + Api.encode(key) + "&strategy=field_hybrid&hot_only=true",
                "application/json", "{\"like_count\":2}".getBytes());
        assertThat(hotOnly.status()).as(hotOnly.text()).isEqualTo(200);
        assertThat(hotOnly.json().get("is_pure_hot_update").asBoolean()).isTrue();
        assertThat(api.read(key).text()).isEqualTo("{\"title\":\"t\",\"like_count\":2,\"body\":[1,2]}");

        Api.Response sameCold = api.post("/write?key=" + Api.encode(key) + "&strategy=field_hybrid&hot_only=true",
                "application/json", "{\"like_count\":3,\"title\":\"t\"}".getBytes());
        assertThat(sameCold.status()).as(sameCold.text()).isEqualTo(200);

        Api.Response conflict = api.post("/write?key=" + Api.encode(key) + "&strategy=field_hybrid&hot_only=true",
                "application/json", "{\"like_count\":4,\"title\":\"different\"}".getBytes());
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("error").asString()).isEqualTo("hot_only_cold_mismatch");
        assertThat(api.read(key).text()).isEqualTo("{\"title\":\"t\",\"like_count\":3,\"body\":[1,2]}");
        assertThat(api.delete(key).status()).isEqualTo(200);

        Api.Response nothingStored = api.post("/write?key=" + Api.encode(key) + "&strategy=field_hybrid&hot_only=true",
                "application/json", "{\"like_count\":5}".getBytes());
        assertThat(nothingStored.status()).isEqualTo(409);
        assertThat(nothingStored.json().get("error").asString()).isEqualTo("hot_only_cold_mismatch");
        assertThat(api.read(key).status()).isEqualTo(404);
    }

    @Test
    void changingStrategyLeavesNoOrphanBlobs() {
        String key = "e2e/hybrid/strategy-change";
        String[] strategies = {"replication", "ec", "field_hybrid", "ec", "replication", "field_hybrid"};
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < strategies.length; i++) {
            String value = "{\"like_count\":" + i + ",\"text\":" + quoted(Values.large(5_000, i)) + "}";
            Api.Response written = api.write(key, strategies[i], value);
            assertThat(written.status()).as(written.text()).isEqualTo(200);
            versions.add(written.json().get("version").asString());
            assertThat(api.read(key).text()).isEqualTo(value);
        }
        assertThat(api.delete(key).status()).isEqualTo(200);
        assertThat(new HealerTestCluster().bytesOnceAt(versions, 0)).as("blobs of %s left", versions).isZero();
    }

    private static String quoted(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
