package io.hybridstore.systemtest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every malformed request gets its documented 4xx with a JSON error body, and the stored object stays as it was. */
class BadInputTest {

    private static final String KEY = "e2e/bad-input/victim";
    private static final String ORIGINAL = "{\"untouched\": true}";
    private static final Api API = new Api(LocalCluster.get().gatewayUrl());

    @BeforeAll
    static void storeAnObjectThatBadWritesMustNotChange() {
        assertThat(API.write(KEY, "replication", ORIGINAL).status()).isEqualTo(200);
    }

    @AfterAll
    static void removeIt() {
        API.delete(KEY);
    }

    static Stream<Arguments> badWrites() {
        String k = "key=" + Api.encode(KEY);
        byte[] ok = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                arguments("no key", "/write?strategy=replication", "application/json", ok, 400),
                arguments("empty key", "/write?key=", "application/json", ok, 400),
                arguments("key over 1024 bytes", "/write?key=" + "k".repeat(1025), "application/json", ok, 400),
                arguments("control character in key", "/write?key=a%01b", "application/json", ok, 400),
                arguments("unknown parameter", "/write?" + k + "&stratgy=ec", "application/json", ok, 400),
                arguments("hot_only without field_hybrid", "/write?" + k + "&hot_only=true", "application/json", ok, 400),
                arguments("unknown strategy", "/write?" + k + "&strategy=raid5", "application/json", ok, 422),
                arguments("wrong content type", "/write?" + k, "text/plain", ok, 415),
                arguments("missing content type", "/write?" + k, null, ok, 415),
                arguments("empty body", "/write?" + k, "application/json", new byte[0], 422),
                arguments("JSON array", "/write?" + k, "application/json", bytes("[1,2]"), 422),
                arguments("JSON string", "/write?" + k, "application/json", bytes("\"x\""), 422),
                arguments("empty object", "/write?" + k, "application/json", bytes("{}"), 422),
                arguments("truncated JSON", "/write?" + k, "application/json", bytes("{\"a\": 1"), 422),
                arguments("duplicate keys", "/write?" + k, "application/json", bytes("{\"a\":1,\"a\":2}"), 422),
                arguments("too deeply nested", "/write?" + k, "application/json",
                        bytes("{\"a\":" + "[".repeat(500) + "]".repeat(500) + "}"), 422),
                arguments("invalid UTF-8", "/write?" + k, "application/json",
                        new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, 422),
                arguments("over the body limit", "/write?" + k, "application/json", oversized(), 413));
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("badWrites")
    void badWritesAreRefusedAndChangeNothing(String name, String pathAndQuery, String contentType, byte[] body,
                                             int expected) {
        Api.Response response = API.post(pathAndQuery, contentType, body);

        assertThat(response.status()).as(response.text()).isEqualTo(expected);
        assertThat(response.json().get("error").asString()).isNotBlank();
        assertThat(response.json().get("detail").asString()).isNotBlank();
        assertThat(API.read(KEY).text()).isEqualTo(ORIGINAL);
    }

    @Test
    void unknownKeysAre404WithAJsonBody() {
        Api.Response read = API.read("e2e/bad-input/never-written");
        assertThat(read.status()).isEqualTo(404);
        assertThat(read.json().get("error").asString()).isEqualTo("not_found");
        assertThat(API.delete("e2e/bad-input/never-written").status()).isEqualTo(404);
    }

    @Test
    void unknownRoutesAndMethodsAreJsonErrors() {
        Api.Response route = API.get("/no/such/call");
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.json().get("error").asString()).isNotBlank();

        Api.Response method = API.send(HttpRequest.newBuilder(URI.create(LocalCluster.get().gatewayUrl() + "/write")).GET());
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.json().get("error").asString()).isNotBlank();
    }

    @Test
    void storageNodesRefuseBadBlobIds() {
        Api node = new Api(LocalCluster.get().storageNodeUrl(1));
        for (String id : new String[]{"bad$id", ".hidden", "..", "a%5Cb"}) {
            Api.Response response = node.send(HttpRequest.newBuilder(URI.create(LocalCluster.get().storageNodeUrl(1)
                    + "/blobs/" + id)).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[]{1})));
            assertThat(response.status()).as(id).isBetween(400, 404);
            assertThat(response.status()).as(id).isNotEqualTo(201);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One byte over the limit the test cluster runs with (HYBRIDSTORE_GATEWAY_MAX_BODY_SIZE, see LocalCluster). */
    private static byte[] oversized() {
        byte[] body = new byte[LocalCluster.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';
        return body;
    }
}
