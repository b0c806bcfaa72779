package io.hybridstore.systemtest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.S3Exception;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Client access keys through the real cluster: created by root through the admin API (and its CLI), limited to a
 * bucket or a key prefix, enforced alike by the S3 API and the native API, revoked; and a gateway with
 * {@code hybridstore.gateway.auth=required} refusing anonymous calls.
 */
class ClientAuthSystemTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LocalCluster cluster = LocalCluster.get();
    private static final String SUFFIX = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private static final String BUCKET_A = "auth-a-" + SUFFIX;
    private static final String BUCKET_B = "auth-b-" + SUFFIX;
    private static final String VALUE = "{\"id\":1,\"name\":\"widget\"}";
    private static S3Client root;
    private static final List<S3Client> clients = new ArrayList<>();

    @BeforeAll
    static void buckets() {
        root = S3ApiTest.client(cluster.s3Key().get(0), cluster.s3Key().get(1));
        root.createBucket(b -> b.bucket(BUCKET_A));
        root.createBucket(b -> b.bucket(BUCKET_B));
        root.putObject(b -> b.bucket(BUCKET_B).key("secret.json"), RequestBody.fromString(VALUE));
    }

    @AfterAll
    static void close() {
        clients.forEach(S3Client::close);
        root.close();
    }

    private static Api rootApi() {
        return new Api(cluster.gatewayUrl());
    }

    private static String bearer(String key, String secret) {
        return "Bearer " + key + ":" + secret;
    }

    private static String rootBearer() {
        return bearer(cluster.s3Key().get(0), cluster.s3Key().get(1));
    }

    /** Creates a key through the admin API as root; its access key and secret. */
    private static List<String> createKey(String grants) {
        Api.Response created = rootApi().call("POST", "/admin/access-keys", "application/json",
                grants.getBytes(StandardCharsets.UTF_8), "Authorization", rootBearer());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return List.of(created.json().path("access_key").asString(), created.json().path("secret_key").asString());
    }

    private static S3Client s3(List<String> key) {
        S3Client client = S3ApiTest.client(key.get(0), key.get(1));
        clients.add(client);
        return client;
    }

    private static Api.Response nativeCall(String method, String path, String body, List<String> key) {
        return new Api(cluster.gatewayUrl()).call(method, path, body == null ? null : "application/json",
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), "Authorization",
                bearer(key.get(0), key.get(1)));
    }

    @Test
    void aKeyLimitedToBucketAWorksThereAndIsDeniedBucketBThroughBothApis() {
        List<String> keyA = createKey("{\"grants\":[{\"bucket\":\"" + BUCKET_A + "\",\"access\":\"read-write\"}]}");
        S3Client a = s3(keyA);

        a.putObject(b -> b.bucket(BUCKET_A).key("mine.json"), RequestBody.fromString(VALUE));
        assertThat(a.getObjectAsBytes(b -> b.bucket(BUCKET_A).key("mine.json")).asUtf8String()).isEqualTo(VALUE);
        assertThatThrownBy(() -> a.getObjectAsBytes(b -> b.bucket(BUCKET_B).key("secret.json")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });
        assertThatThrownBy(() -> a.putObject(b -> b.bucket(BUCKET_B).key("planted.json"), RequestBody.fromString(VALUE)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        assertThatThrownBy(() -> a.listObjectsV2(b -> b.bucket(BUCKET_B)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        assertThatThrownBy(() -> a.copyObject(b -> b.sourceBucket(BUCKET_B).sourceKey("secret.json")
                .destinationBucket(BUCKET_A).destinationKey("stolen.json")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        assertThat(a.listBuckets().buckets()).extracting(Bucket::name).contains(BUCKET_A).doesNotContain(BUCKET_B);
        assertThat(root.headObject(b -> b.bucket(BUCKET_B).key("secret.json")).contentLength())
                .isEqualTo(VALUE.length());

        Api.Response deniedRead = nativeCall("GET", "/read/" + BUCKET_B + "/secret.json", null, keyA);
        assertThat(deniedRead.status()).isEqualTo(403);
        assertThat(deniedRead.json().path("error").asString()).isEqualTo("access_denied");
        assertThat(deniedRead.text()).doesNotContain("widget");
        assertThat(nativeCall("POST", "/write?key=" + BUCKET_B + "/planted.json&strategy=replication", VALUE, keyA)
                .status()).isEqualTo(403);
        assertThat(nativeCall("DELETE", "/delete/" + BUCKET_B + "/secret.json", null, keyA).status()).isEqualTo(403);
        assertThat(nativeCall("GET", "/read/" + BUCKET_A + "/mine.json", null, keyA).text()).isEqualTo(VALUE);
        assertThat(rootApi().read(BUCKET_B + "/planted.json").status()).isEqualTo(404);
        assertThat(rootApi().read(BUCKET_B + "/secret.json").text()).isEqualTo(VALUE);
    }

    @Test
    void aReadOnlyPrefixKeyReadsItsPrefixAndWritesNothing() {
        String prefix = "user-" + SUFFIX + ":";
        assertThat(rootApi().write(prefix + "1", "replication", VALUE).status()).isEqualTo(200);
        List<String> reader = createKey("{\"grants\":[{\"prefix\":\"" + prefix + "\",\"access\":\"read\"}]}");

        assertThat(nativeCall("GET", "/read/" + prefix + "1", null, reader).text()).isEqualTo(VALUE);
        Api.Response write = nativeCall("POST", "/write?key=" + prefix + "2&strategy=replication", VALUE, reader);
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.json().path("error").asString()).isEqualTo("access_denied");
        assertThat(nativeCall("GET", "/read/other-" + SUFFIX, null, reader).status()).isEqualTo(403);
        assertThat(rootApi().read(prefix + "2").status()).isEqualTo(404);
    }

    @Test
    void wrongCredentialsAreRefusedEvenWhereAnonymousCallsAreAccepted() {
        List<String> key = createKey("{\"grants\":[{\"prefix\":\"\",\"access\":\"read\"}]}");
        Api.Response wrong = nativeCall("GET", "/read/anything", null, List.of(key.get(0), "not-" + key.get(1)));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("error").asString()).isEqualTo("unauthenticated");
        assertThat(nativeCall("GET", "/read/anything", null, List.of("HSNOSUCHKEY", "whatever")).status())
                .isEqualTo(401);
        assertThatThrownBy(() -> S3ApiTest.client(key.get(0), "not-" + key.get(1)).listBuckets())
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }

    @Test
    void onlyRootManagesKeysAndNoAnswerButTheFirstShowsASecret() {
        List<String> limited = createKey("{\"grants\":[{\"bucket\":\"" + BUCKET_A + "\",\"access\":\"read\"}]}");
        assertThat(rootApi().get("/admin/access-keys").status()).isEqualTo(401);
        assertThat(nativeCall("GET", "/admin/access-keys", null, limited).status()).isEqualTo(403);
        assertThat(nativeCall("POST", "/admin/access-keys", "{\"root\":true}", limited).status()).isEqualTo(403);
        Api.Response bad = rootApi().call("POST", "/admin/access-keys", "application/json",
                "{\"grants\":[{\"bucket\":\"x\",\"access\":\"everything\"}]}".getBytes(StandardCharsets.UTF_8),
                "Authorization", rootBearer());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").asString()).isEqualTo("invalid_request");

        Api.Response list = rootApi().call("GET", "/admin/access-keys", null, null, "Authorization", rootBearer());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).contains(limited.get(0)).doesNotContain(limited.get(1));
        JsonNode shown = rootApi().call("GET", "/admin/access-keys/" + limited.get(0), null, null,
                "Authorization", rootBearer()).json();
        assertThat(shown.path("grants").get(0).path("prefix").asString()).isEqualTo(BUCKET_A + "/");
        assertThat(shown.has("secret_key")).isFalse();
    }

    @Test
    void aDeletedKeyStopsWorkingWithinTheCacheTime() throws InterruptedException {
        List<String> key = createKey("{\"grants\":[{\"prefix\":\"\",\"access\":\"read\"}]}");
        assertThat(nativeCall("GET", "/node_status", null, key).status()).isEqualTo(200);
        assertThat(rootApi().call("DELETE", "/admin/access-keys/" + key.get(0), null, null, "Authorization",
                rootBearer()).status()).isEqualTo(204);
        Instant deadline = Instant.now().plusSeconds(10);
        int status = 0;
        while (Instant.now().isBefore(deadline)) {
            // Every gateway behind nginx must have let go of it: six refusals in a row.
            boolean allRefused = true;
            for (int i = 0; i < 6; i++) {
                status = nativeCall("GET", "/node_status", null, key).status();
                allRefused &= status == 401;
            }
            if (allRefused) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        assertThat(status).isEqualTo(401);
        assertThat(rootApi().call("DELETE", "/admin/access-keys/" + key.get(0), null, null, "Authorization",
                rootBearer()).status()).isEqualTo(404);
    }

    @Test
    void theCliCreatesListsAndDeletesKeys() throws IOException, InterruptedException {
        String created = cli("keys", "create", "--prefix", "cli-" + SUFFIX + ":=read-write");
        JsonNode key = JSON.readTree(created);
        String id = key.path("access_key").asString();
        assertThat(id).startsWith("HS");
        List<String> credentials = List.of(id, key.path("secret_key").asString());
        assertThat(nativeCall("POST", "/write?key=cli-" + SUFFIX + ":1&strategy=ec", VALUE, credentials).status())
                .isEqualTo(200);
        assertThat(cli("keys", "list")).contains(id).doesNotContain(credentials.get(1));
        cli("keys", "delete", id);
        assertThat(cli("keys", "list")).doesNotContain(id);
    }

    private static String cli(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of("..", "scripts", "hybridstore-admin").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HYBRIDSTORE_URL", cluster.gatewayUrl());
        builder.environment().put("HYBRIDSTORE_ACCESS_KEY", cluster.s3Key().get(0));
        builder.environment().put("HYBRIDSTORE_SECRET_KEY", cluster.s3Key().get(1));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void aGatewayThatRequiresKeysRefusesAnonymousCallsButNotProbes() {
        cluster.restartWith("gateway-3", Map.of("HYBRIDSTORE_GATEWAY_AUTH", "required"));
        try {
            Api anonymous = new Api(cluster.gatewayUrl(3));
            Api.Response read = anonymous.read(BUCKET_B + "/secret.json");
            assertThat(read.status()).isEqualTo(401);
            assertThat(read.json().path("error").asString()).isEqualTo("unauthenticated");
            assertThat(read.text()).doesNotContain("widget");
            assertThat(anonymous.write("anonymous-" + SUFFIX, "replication", VALUE).status()).isEqualTo(401);
            assertThat(anonymous.get("/node_status").status()).isEqualTo(401);
            assertThat(anonymous.get("/health").status()).isEqualTo(200);
            assertThat(anonymous.get("/actuator/prometheus").text())
                    .contains("hybridstore_gateway_auth_refused_total{api=\"native\",reason=\"missing\"}");
            Api.Response withKey = anonymous.call("GET", "/read/" + BUCKET_B + "/secret.json", null, null,
                    "Authorization", rootBearer());
            assertThat(withKey.text()).isEqualTo(VALUE);
            // Not through nginx, which may pick the gateway that now requires a key.
            assertThat(new Api(cluster.gatewayUrl(1)).read("anonymous-" + SUFFIX).status()).isEqualTo(404);
        } finally {
            cluster.stop("gateway-3");
            cluster.start("gateway-3");
        }
    }

    @Test
    void etcdHoldsNoSecretInTheClear() throws IOException, InterruptedException {
        List<String> key = createKey("{\"grants\":[{\"prefix\":\"\",\"access\":\"read\"}]}");
        Process get = new ProcessBuilder("etcdctl", "--endpoints=" + cluster.etcdUrl(), "get",
                "/hybridstore/access-keys/" + key.get(0), "--print-value-only").redirectErrorStream(true).start();
        String stored = new String(get.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(get.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(stored).contains(key.get(0)).contains("sealedSecret").doesNotContain(key.get(1));
    }
}
