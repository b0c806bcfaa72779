package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hot fields learned from the traffic, through the real cluster: a field no configuration names, changed by nearly
 * every overwrite of a collection, becomes hot once a window of overwrites has been counted (the three gateways'
 * counts summed in etcd); every object adopts it with one cold rewrite and is updated pure-hot after that; a merge
 * moves it out of an object's cold part once; a hot-only write never puts a field in both parts; a restarted
 * gateway keeps the learned set; and the field goes back to cold only after windows without a change.
 */
class HotFieldLearningSystemTest {

    private static final LocalCluster cluster = LocalCluster.get();
    private static final Api api = new Api(cluster.gatewayUrl());
    private static final String SUFFIX = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private static final int KEYS = 10;
    /** hybridstore.gateway.learning.window, the default. */
    private static final int WINDOW = 100;

    private static String value(int flags, String description) {
        return "{\"status_flags\":" + flags + ",\"description\":\"" + description + "\",\"title\":\"item\"}";
    }

    private static JsonNode write(String key, String json) {
        Api.Response answer = api.write(key, "field_hybrid", json);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json();
    }

    private static JsonNode hotFields(String collection) {
        Api.Response answer = api.get("/collections/" + collection + "/hot_fields");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json();
    }

    private static boolean learned(String collection, String field) {
        return hotFields(collection).path("learned").has(field);
    }

    /** Overwrites the collection's keys with a new status each time until the field is learned; how many it took. */
    private static int overwriteUntilLearned(String collection, String description, int limit) {
        for (int n = 1; n <= limit; n++) {
            write(collection + ":" + n % KEYS, value(n, description));
            if (n % 10 == 0 && learned(collection, "status_flags")) {
                return n;
            }
        }
        throw new AssertionError("status_flags was not learned hot in " + limit + " overwrites: "
                + hotFields(collection));
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFieldChangedByEveryOverwriteIsLearnedAndThenUpdatedPureHotEverywhere() throws Exception {
        String collection = "learn-" + SUFFIX;
        String description = "d".repeat(20_000);
        assertThat(hotFields(collection).path("learned").isEmpty()).isTrue();
        for (int k = 0; k < KEYS; k++) {
            write(collection + ":" + k, value(-1, description));
        }

        int warmUp = overwriteUntilLearned(collection, description, 4 * WINDOW);
        assertThat(warmUp).as("overwrites before the field was learned").isLessThanOrEqualTo(2 * WINDOW);
        JsonNode learned = hotFields(collection).path("learned").path("status_flags");
        assertThat(learned.path("change_ratio").asDouble()).isGreaterThanOrEqualTo(0.5);
        assertThat(learned.path("mean_size").asDouble()).isLessThan(10);
        assertThat(learned.path("since").asString()).isNotEmpty();
        assertThat(hotFields(collection).path("hot_fields").toString()).contains("status_flags");

        // Every gateway is told by its etcd watch. An object written before then keeps the field cold until its
        // next write, which moves it (one cold rewrite); from then on its updates are pure hot.
        sleep(1_000);
        int[] coldWrites = new int[KEYS];
        int pureHotLast = 0;
        for (int n = 0; n < 200; n++) {
            JsonNode answer = write(collection + ":" + n % KEYS, value(2000 + n, description));
            boolean pure = answer.path("is_pure_hot_update").asBoolean();
            coldWrites[n % KEYS] += pure ? 0 : 1;
            if (n >= 100) {
                pureHotLast += pure ? 1 : 0;
                assertThat(answer.path("cold_chunks_written").asInt()).isZero();
            }
        }
        for (int k = 0; k < KEYS; k++) {
            assertThat(coldWrites[k]).as("cold rewrites of key %d after the field was learned", k).isLessThanOrEqualTo(1);
        }
        assertThat(pureHotLast).as("pure hot updates of the last 100").isEqualTo(100);
        assertThat(api.read(collection + ":3").text()).isEqualTo(value(2193, description));

        Process keys = new ProcessBuilder("etcdctl", "--endpoints=" + cluster.etcdUrl(), "get", "--prefix",
                "--keys-only", "/hybridstore/field-stats/" + collection + "/").redirectErrorStream(true).start();
        String statsKeys = new String(keys.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keys.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(statsKeys.lines().filter(line -> line.contains("gateway-")).count())
                .as("gateways whose counts were summed: %s", statsKeys).isGreaterThanOrEqualTo(2);

        cluster.stop("gateway-1");
        cluster.start("gateway-1");
        Api restarted = new Api(cluster.gatewayUrl(1));
        assertThat(restarted.get("/collections/" + collection + "/hot_fields").json().path("learned")
                .has("status_flags")).as("the learned set after a restart").isTrue();
        JsonNode afterRestart = restarted.write(collection + ":0", "field_hybrid", value(3000, description)).json();
        assertThat(afterRestart.path("is_pure_hot_update").asBoolean()).as(afterRestart.toString()).isTrue();
    }

    @Test
    void aMergeMovesALearnedFieldOutOfTheColdPartOnceAndAHotOnlyWriteNeverSplitsAFieldInTwo() {
        String collection = "merge-" + SUFFIX;
        String description = "m".repeat(2_000);
        String early = collection + ":early";
        String alsoEarly = collection + ":also-early";
        write(early, value(0, description));
        write(alsoEarly, value(0, description));
        for (int k = 0; k < KEYS; k++) {
            write(collection + ":" + k, value(-1, description));
        }
        overwriteUntilLearned(collection, description, 4 * WINDOW);
        sleep(1_000);

        Api.Response moved = api.post("/write?key=" + Api.encode(early) + "&merge=true", "application/json",
                "{\"status_flags\":5}".getBytes(StandardCharsets.UTF_8));
        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(moved.json().path("is_pure_hot_update").asBoolean()).as("the move").isFalse();
        Api.Response hot = api.post("/write?key=" + Api.encode(early) + "&merge=true", "application/json",
                "{\"status_flags\":6}".getBytes(StandardCharsets.UTF_8));
        assertThat(hot.json().path("is_pure_hot_update").asBoolean()).as("after the move").isTrue();
        assertThat(api.read(early).text()).isEqualTo(value(6, description));

        // Stored cold, the field is cold to a hot-only write: its change is refused, not written to both parts.
        Api.Response hotOnly = api.write(alsoEarly, "field_hybrid", true,
                value(9, description).getBytes(StandardCharsets.UTF_8));
        assertThat(hotOnly.status()).as(hotOnly.text()).isEqualTo(409);
        assertThat(api.read(alsoEarly).text()).isEqualTo(value(0, description));
        Api.Response fields = api.get("/read/" + Api.encodePath(early) + "?fields=status_flags");
        assertThat(fields.text()).isEqualTo("{\"status_flags\":6}");
    }

    @Test
    void aLearnedFieldGoesBackToColdOnlyAfterQuietWindows() throws IOException {
        String collection = "quiet-" + SUFFIX;
        String description = "q".repeat(500);
        for (int k = 0; k < KEYS; k++) {
            write(collection + ":" + k, value(-1, description));
        }
        overwriteUntilLearned(collection, description, 4 * WINDOW);
        int quietWrites = 0;
        int windowsBefore = hotFields(collection).path("windows_decided").asInt();
        // Unchanged values: overwrites that change nothing. Four windows of them keep the field (hysteresis).
        while (hotFields(collection).path("windows_decided").asInt() < windowsBefore + 4) {
            for (int n = 0; n < 20; n++) {
                write(collection + ":" + n % KEYS, value(7, description));
                quietWrites++;
            }
            assertThat(quietWrites).as("overwrites without a decision").isLessThan(20 * WINDOW);
        }
        assertThat(learned(collection, "status_flags")).as("still hot after four windows without a change").isTrue();
        while (learned(collection, "status_flags")) {
            for (int n = 0; n < 20; n++) {
                write(collection + ":" + n % KEYS, value(7, description));
                quietWrites++;
            }
            assertThat(quietWrites).as("overwrites without the field going back").isLessThan(20 * WINDOW);
        }
        assertThat(hotFields(collection).path("hot_fields").toString()).doesNotContain("status_flags");
    }

    @Test
    void anOperatorPinsAndForbidsFieldsAsRoot() {
        String collection = "pinned-" + SUFFIX;
        String body = "{\"pin\":[\"title\"],\"never_hot\":[\"status_flags\"]}";
        Api.Response anonymous = api.call("PUT", "/collections/" + collection + "/hot_fields", "application/json",
                body.getBytes(StandardCharsets.UTF_8));
        assertThat(anonymous.status()).isEqualTo(401);
        Api.Response set = api.call("PUT", "/collections/" + collection + "/hot_fields", "application/json",
                body.getBytes(StandardCharsets.UTF_8), "Authorization",
                "Bearer " + cluster.s3Key().get(0) + ":" + cluster.s3Key().get(1));
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.json().path("hot_fields").toString()).contains("title").doesNotContain("status_flags");
        sleep(500);
        write(collection + ":1", value(1, "p"));
        HttpResponse<String> fields = ProjectionSystemTest.get(cluster.gatewayUrl() + "/read/"
                + Api.encodePath(collection + ":1") + "?fields=title");
        assertThat(fields.body()).isEqualTo("{\"title\":\"item\"}");
        assertThat(fields.headers().firstValue("X-HybridStore-Parts")).as("the pinned field is hot").hasValue("hot");
        HttpResponse<String> forbidden = ProjectionSystemTest.get(cluster.gatewayUrl() + "/read/"
                + Api.encodePath(collection + ":1") + "?fields=status_flags");
        assertThat(forbidden.headers().firstValue("X-HybridStore-Parts")).hasValue("cold");
    }
}
