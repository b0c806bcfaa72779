package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nginx passes a DELETE to another gateway when the first one died before answering, with the same
 * {@code X-Request-Id}: the repeat must answer what the first attempt did, not 404 for an object it deleted itself.
 */
class DeleteReplayTest {

    private final LocalCluster cluster = LocalCluster.get();
    private final Api api = new Api(cluster.gatewayUrl());

    @Test
    void aDeleteRepeatedWithTheSameRequestIdOnAnotherGatewayAnswersTheOriginalResult() {
        String key = "e2e/delete-replay/object";
        String version = api.write(key, "field_hybrid", "{\"like_count\":1,\"bio\":\"cold\"}").json()
                .path("version").asString();

        Api.Response first = delete(1, key, "replay-0001");
        Api.Response repeated = delete(2, key, "replay-0001");

        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(repeated.status()).as(repeated.text()).isEqualTo(200);
        assertThat(repeated.json().path("version").asString()).isEqualTo(version);
        assertThat(repeated.json().path("strategy").asString()).isEqualTo("field_hybrid");
        assertThat(api.read(key).status()).isEqualTo(404);

        assertThat(api.write(key, "replication", "{\"a\":2}").status()).isEqualTo(200);
        assertThat(delete(3, key, "replay-0001").status()).as("a late repeat").isEqualTo(200);
        assertThat(api.read(key).text()).as("a late repeat does not delete what was written since")
                .isEqualTo("{\"a\":2}");
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @Test
    void aDeleteOfAnUnknownKeyIsStill404ForAnotherRequestOrWithoutAnId() {
        String key = "e2e/delete-replay/other";
        api.write(key, "replication", "{\"a\":1}");
        assertThat(delete(1, key, "replay-0002").status()).isEqualTo(200);

        assertThat(delete(3, key, "replay-0003").status()).as("a new request").isEqualTo(404);
        assertThat(delete(3, "e2e/delete-replay/never-written", "replay-0002").status())
                .as("the same id for another key").isEqualTo(404);
        assertThat(api.delete(key).status()).as("no id").isEqualTo(404);
    }

    private Api.Response delete(int gateway, String key, String requestId) {
        String url = "http://127.0.0.1:" + (8100 + gateway + LocalCluster.PORT_OFFSET) + "/delete/" + Api.encodePath(key);
        return api.send(HttpRequest.newBuilder(URI.create(url)).header("X-Request-Id", requestId).DELETE());
    }
}
