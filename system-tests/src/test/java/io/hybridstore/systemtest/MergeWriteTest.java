package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code merge=true}: a partial update that lays the body's top-level fields over the stored object's. */
class MergeWriteTest {

    private final Api api = new Api(LocalCluster.get().gatewayUrl());

    @ParameterizedTest
    @ValueSource(strings = {"replication", "ec", "field_hybrid"})
    void mergeReplacesAndAddsFieldsAndKeepsTheRest(String strategy) {
        String key = "e2e/merge/" + strategy;
        String description = Values.large(50_000, 21);  // a nested object
        assertThat(api.write(key, strategy, "{\"like_count\":1,\"title\":\"caf\\u00e9\",\"id\":12345678901234567890,"
                + "\"description\":" + description + "}").status()).isEqualTo(200);

        Api.Response merged = merge(key, null, "{\"title\":\"new\",\"price\":1.10}");

        assertThat(merged.status()).as(merged.text()).isEqualTo(200);
        assertThat(merged.json().path("strategy").asString()).as("a merge keeps the stored strategy").isEqualTo(strategy);
        assertThat(api.read(key).text()).isEqualTo("{\"like_count\":1,\"title\":\"new\",\"id\":12345678901234567890,"
                + "\"description\":" + description + ",\"price\":1.10}");
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @Test
    void mergingOnlyHotFieldsOfAFieldHybridObjectIsAPureHotUpdate() {
        String key = "e2e/merge/hot";
        Api.Response created = api.write(key, "field_hybrid", "{\"like_count\":1,\"bio\":\"" + "b".repeat(20_000)
                + "\",\"view_count\":7}");
        assertThat(created.status()).isEqualTo(200);
        HealerTestCluster cluster = new HealerTestCluster();
        List<String> versions = new ArrayList<>(List.of(created.json().get("version").asString()));
        long written = cluster.bytesOf(versions);

        JsonNode merged = merge(key, null, "{\"like_count\":2}").json();
        versions.add(merged.path("version").asString());

        assertThat(merged.path("is_pure_hot_update").asBoolean()).isTrue();
        assertThat(merged.path("cold_chunks_written").asInt()).isZero();
        assertThat(api.read(key).text()).as("the other hot field is kept")
                .isEqualTo("{\"like_count\":2,\"bio\":\"" + "b".repeat(20_000) + "\",\"view_count\":7}");
        assertThat(cluster.bytesOnceAt(versions, written))
                .as("the displaced hot replicas are gone, the cold part shared").isEqualTo(written);
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @Test
    void aHotMergeNeverReadsTheColdPart() {
        String key = "e2e/merge/cold-untouched";
        String version = api.write(key, "field_hybrid", "{\"like_count\":1,\"view_count\":5,\"bio\":\""
                + "c".repeat(20_000) + "\"}").json().path("version").asString();
        // With every cold shard gone at most two repaired copies can exist, too few to read (k = 4).
        HealerTestCluster cluster = new HealerTestCluster();
        cluster.blobsOf(version).forEach((node, ids) -> ids.stream().filter(id -> id.startsWith(version + ".cold"))
                .forEach(id -> cluster.deleteBlob(node, id)));

        Api.Response merged = merge(key, null, "{\"like_count\":2,\"status_code\":200}");

        assertThat(merged.status()).as(merged.text()).isEqualTo(200);
        assertThat(merged.json().path("is_pure_hot_update").asBoolean()).isTrue();
        assertThat(api.read(key).status()).as("the cold part is unreadable, so the merge cannot have read it")
                .isEqualTo(503);
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @Test
    void aMergeMayChangeTheStrategy() {
        String key = "e2e/merge/restrategy";
        assertThat(api.write(key, "replication", "{\"a\":1,\"b\":2}").status()).isEqualTo(200);

        Api.Response merged = merge(key, "ec", "{\"b\":3}");

        assertThat(merged.json().path("strategy").asString()).isEqualTo("ec");
        assertThat(api.read(key).text()).isEqualTo("{\"a\":1,\"b\":3}");
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @Test
    void concurrentMergesOfDifferentFieldsAllSurvive() throws Exception {
        String key = "e2e/merge/concurrent";
        assertThat(api.write(key, "ec", "{\"base\":true}").status()).isEqualTo(200);
        int writers = 8;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Api.Response>> answers = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String field = "{\"f" + i + "\":" + i + "}";
                answers.add(executor.submit(() -> merge(key, null, field)));
            }
            for (Future<Api.Response> answer : answers) {
                assertThat(answer.get().status()).as(answer.get().text()).isIn(200, 409);
            }
            long applied = answers.stream().filter(a -> join(a).status() == 200).count();
            JsonNode stored = api.read(key).json();
            for (int i = 0; i < writers; i++) {
                boolean acknowledged = join(answers.get(i)).status() == 200;
                assertThat(stored.has("f" + i)).as("field f%d, merge acknowledged: %s", i, acknowledged)
                        .isEqualTo(acknowledged);
            }
            assertThat(applied).as("most merges get through within the retry budget").isGreaterThan(writers / 2);
        }
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    /**
     * Thirty clients merging into one key at once, as YCSB's zipfian workload A does to its hottest records, through
     * nginx: every merge must get through, none may run out of commit retries (409), and none may be lost.
     */
    @Test
    void manyClientsMergingIntoOneKeyAllSucceed() throws Exception {
        String key = "e2e/merge/hot";
        assertThat(api.write(key, "replication", "{\"base\":true}").status()).isEqualTo(200);
        int writers = 30;
        int rounds = 4;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Api.Response>>> answers = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int writer = i;
                answers.add(executor.submit(() -> {
                    List<Api.Response> mine = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        mine.add(merge(key, null, "{\"w" + writer + "\":" + round + "}"));
                    }
                    return mine;
                }));
            }
            for (Future<List<Api.Response>> answer : answers) {
                for (Api.Response response : answer.get()) {
                    assertThat(response.status()).as(response.text()).isEqualTo(200);
                }
            }
        }
        JsonNode stored = api.read(key).json();
        for (int i = 0; i < writers; i++) {
            assertThat(stored.path("w" + i).asInt(-1)).as("field w%d", i).isEqualTo(rounds - 1);
        }
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @Test
    void badMergesAreRefusedAndChangeNothing() {
        assertThat(merge("e2e/merge/absent", null, "{\"a\":1}").status()).isEqualTo(404);
        assertThat(api.read("e2e/merge/absent").status()).isEqualTo(404);

        String key = "e2e/merge/refused";
        assertThat(api.write(key, "field_hybrid", "{\"like_count\":1,\"a\":2}").status()).isEqualTo(200);
        Api.Response both = api.post("/write?key=" + Api.encode(key) + "&strategy=field_hybrid&hot_only=true&merge=true",
                "application/json", "{\"like_count\":2}".getBytes(StandardCharsets.UTF_8));
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().path("error").asString()).isEqualTo("invalid_parameter");
        Api.Response notBoolean = api.post("/write?key=" + Api.encode(key) + "&merge=yes", "application/json",
                "{\"a\":3}".getBytes(StandardCharsets.UTF_8));
        assertThat(notBoolean.status()).isEqualTo(400);
        assertThat(merge(key, null, "[1]").status()).isEqualTo(422);
        assertThat(api.read(key).text()).isEqualTo("{\"like_count\":1,\"a\":2}");
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    /**
     * nginx sends a key's writes to one gateway, which keeps the manifest it committed last as the base of the key's
     * next merge. A write or delete of the key through another gateway makes that base stale; the merge must still
     * land over what is stored, never resurrect a deleted object or undo the other write.
     */
    @ParameterizedTest
    @ValueSource(strings = {"replication", "ec", "field_hybrid"})
    void aMergeLandsOverWhatAnotherGatewayWroteOrDeleted(String strategy) {
        LocalCluster cluster = LocalCluster.get();
        for (int gateway = 1; gateway <= 3; gateway++) {
            String key = "e2e/merge/elsewhere-" + strategy + "-" + gateway;
            Api other = new Api(cluster.gatewayUrl(gateway));
            assertThat(api.write(key, strategy, "{\"like_count\":1,\"a\":\"first\"}").status()).isEqualTo(200);
            assertThat(merge(key, null, "{\"b\":1}").status()).isEqualTo(200);

            assertThat(other.write(key, strategy, "{\"like_count\":2,\"a\":\"second\"}").status()).isEqualTo(200);
            Api.Response merged = merge(key, null, "{\"b\":2}");
            assertThat(merged.status()).as(merged.text()).isEqualTo(200);
            assertThat(api.read(key).text()).as("gateway %d wrote in between", gateway)
                    .isEqualTo("{\"like_count\":2,\"a\":\"second\",\"b\":2}");

            assertThat(other.delete(key).status()).isEqualTo(200);
            assertThat(merge(key, null, "{\"b\":3}").status()).as("gateway %d deleted it", gateway).isEqualTo(404);
            assertThat(api.read(key).status()).isEqualTo(404);
        }
    }

    private Api.Response merge(String key, String strategy, String patch) {
        return api.post("/write?key=" + Api.encode(key) + (strategy == null ? "" : "&strategy=" + strategy) + "&merge=true",
                "application/json", patch.getBytes(StandardCharsets.UTF_8));
    }


    private static Api.Response join(Future<Api.Response> answer) {
        try {
            return answer.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
