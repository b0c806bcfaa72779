package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's curl examples, sent through nginx exactly as curl sends them, and the calls of the original system's
 * Python client (requests with {@code params={"hot_only": True}}, which puts {@code hot_only=True} on the wire).
 */
class OriginalClientCompatibilityTest {

    private static final String CURL = "curl/8.14.1";
    private static final String PYTHON = "python-requests/2.32.3";

    private final String base = LocalCluster.get().gatewayUrl();
    private final Api api = new Api(base);

    /** {@code curl [-X METHOD] URL [-H 'Content-Type: ...'] [-d BODY]}: curl's own headers, then the user's. */
    private Api.Response curl(String method, String pathAndQuery, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("User-Agent", CURL)
                .header("Accept", "*/*")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return api.send(request);
    }

    private Api.Response python(String pathAndQuery, String json) {
        return api.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("User-Agent", PYTHON)
                .header("Accept", "*/*")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    @Test
    void theReadmeCurlExamplesDoWhatTheReadmeSays() {
        curl("DELETE", "/delete/user:42", null, null);
        String value = "{\"name\":\"Ada\",\"like_count\":1,\"bio\":\"...long text...\"}";

        Api.Response written = curl("POST", "/write?key=user:42&strategy=field_hybrid", "application/json", value);
        assertThat(written.status()).as(written.text()).isEqualTo(200);
        assertThat(written.json().get("strategy").asString()).isEqualTo("field_hybrid");
        assertThat(written.json().has("version")).isTrue();

        Api.Response read = curl("GET", "/read/user:42", null, null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text()).isEqualTo(value);

        Api.Response merged = curl("POST", "/write?key=user:42&merge=true", "application/json", "{\"like_count\":2}");
        assertThat(merged.status()).as(merged.text()).isEqualTo(200);
        assertThat(merged.json().get("strategy").asString()).as("the stored strategy is kept").isEqualTo("field_hybrid");
        assertThat(merged.json().get("is_pure_hot_update").asBoolean()).isTrue();
        assertThat(curl("GET", "/read/user:42", null, null).text())
                .isEqualTo("{\"name\":\"Ada\",\"like_count\":2,\"bio\":\"...long text...\"}");

        Api.Response deleted = curl("DELETE", "/delete/user:42", null, null);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(deleted.json().get("key").asString()).isEqualTo("user:42");
        assertError(curl("GET", "/read/user:42", null, null), 404, "not_found");

        Api.Response health = curl("GET", "/health", null, null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("healthy");
        assertThat(health.json().get("service").asString()).isEqualTo("api_gateway");

        JsonNode nodes = curl("GET", "/node_status", null, null).json();
        assertThat(nodes.properties()).isNotEmpty();
        nodes.properties().forEach(node -> assertThat(node.getValue().asString()).isIn("healthy", "unhealthy"));

        JsonNode usage = curl("GET", "/storage_usage", null, null).json();
        assertThat(usage.has("total_system_size")).isTrue();
        assertThat(usage.get("nodes_answering").asInt()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"True", "true", "TRUE"})
    void thePythonClientsHotOnlyTrueIsAPureHotUpdate(String flag) {
        String key = "compat/python/hot-only-" + flag;
        String cold = "\"description\":\"" + "x".repeat(5_000) + "\"";
        Api.Response created = python("/write?key=" + key + "&strategy=field_hybrid",
                "{\"like_count\":1," + cold + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(200);

        Api.Response hot = python("/write?key=" + key + "&strategy=field_hybrid&hot_only=" + flag,
                "{\"like_count\":2}");

        assertThat(hot.status()).as(hot.text()).isEqualTo(200);
        assertThat(hot.json().get("is_pure_hot_update").asBoolean()).isTrue();
        assertThat(hot.json().get("cold_chunks_written").asInt()).isZero();
        assertThat(api.read(key).text()).isEqualTo("{\"like_count\":2," + cold + "}");

        Api.Response merged = python("/write?key=" + key + "&merge=" + flag, "{\"like_count\":3}");
        assertThat(merged.status()).as(merged.text()).isEqualTo(200);
        assertThat(api.read(key).text()).isEqualTo("{\"like_count\":3," + cold + "}");
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @Test
    void aBooleanThatIsNotTrueOrFalseIs400AndChangesNothing() {
        String key = "compat/python/not-a-boolean";
        assertThat(api.write(key, "field_hybrid", "{\"like_count\":1,\"a\":\"b\"}").status()).isEqualTo(200);

        assertError(python("/write?key=" + key + "&strategy=field_hybrid&hot_only=yes", "{\"like_count\":2}"),
                400, "invalid_parameter");
        assertError(python("/write?key=" + key + "&merge=1", "{\"like_count\":2}"), 400, "invalid_parameter");

        assertThat(api.read(key).text()).isEqualTo("{\"like_count\":1,\"a\":\"b\"}");
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    /** {@code curl -d} without {@code -H} sends {@code application/x-www-form-urlencoded}; the body is no parameter. */
    @Test
    void aJsonBodySentAsAFormIs415AndWritesNothing() {
        String key = "compat/curl/form-body";

        Api.Response refused = curl("POST", "/write?key=" + key, "application/x-www-form-urlencoded",
                "{\"like_count\":1}");
        assertError(refused, 415, "unsupported_media_type");

        Api.Response smuggled = curl("POST", "/write?key=" + key, "application/x-www-form-urlencoded",
                "strategy=raid5&merge=maybe");
        assertError(smuggled, 415, "unsupported_media_type");

        assertError(api.read(key), 404, "not_found");
    }

    private static void assertError(Api.Response response, int status, String error) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.json().get("error").asString()).as(response.text()).isEqualTo(error);
        assertThat(response.json().has("detail")).isTrue();
    }
}
