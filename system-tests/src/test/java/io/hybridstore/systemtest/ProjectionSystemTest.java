package io.hybridstore.systemtest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads of just the fields a client names ({@code ?fields=}): a field_hybrid object's hot fields come from one hot
 * replica and no cold shard is read (counted on the storage nodes), other fields bring in the cold part, missing
 * fields are absent, and the S3 API's GetObject takes the same projection.
 */
class ProjectionSystemTest {

    private static final LocalCluster cluster = LocalCluster.get();
    private static final String SUFFIX = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private static final Pattern GETS = Pattern.compile(
            "^hybridstore_wire_requests_seconds_count\\{[^}]*op=\"get\"[^}]*status=\"200\"[^}]*} ([0-9.E]+)$",
            Pattern.MULTILINE);
    private static final Api api = new Api(cluster.gatewayUrl());
    private static final String KEY = "projection-" + SUFFIX;
    private static final String DESCRIPTION = "d".repeat(200_000);
    private static final String VALUE = "{\"title\":\"lamp\",\"like_count\":5,\"description\":\"" + DESCRIPTION
            + "\",\"view_count\":7,\"tags\":[\"a\",\"b\"]}";
    private static S3Client s3;

    @BeforeAll
    static void write() {
        assertThat(api.write(KEY, "field_hybrid", VALUE).status()).isEqualTo(200);
        s3 = S3ApiTest.client(cluster.s3Key().get(0), cluster.s3Key().get(1));
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    /** Blob gets the storage nodes answered, all six together. */
    private static long blobGets() {
        long total = 0;
        for (int n = 1; n <= 6; n++) {
            Matcher m = GETS.matcher(new Api(cluster.storageNodeUrl(n)).get("/actuator/prometheus").text());
            while (m.find()) {
                total += (long) Double.parseDouble(m.group(1));
            }
        }
        return total;
    }

    private static HttpResponse<String> read(String query) {
        return get(cluster.gatewayUrl() + "/read/" + KEY + query);
    }

    /** A GET whose answer's headers the test looks at. */
    static HttpResponse<String> get(String url) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void hotFieldsComeFromOneHotReplicaAloneInStoredOrder() {
        long before = blobGets();
        HttpResponse<String> answer = read("?fields=view_count,like_count");
        long gets = blobGets() - before;

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"like_count\":5,\"view_count\":7}");
        assertThat(answer.headers().firstValue("X-HybridStore-Parts")).hasValue("hot");
        assertThat(gets).as("blobs read for an all-hot projection").isEqualTo(1);
    }

    @Test
    void aColdFieldBringsInTheColdPartAndMissingFieldsAreAbsent() {
        long before = blobGets();
        HttpResponse<String> mixed = read("?fields=tags,like_count,no_such_field");
        long gets = blobGets() - before;

        assertThat(mixed.statusCode()).isEqualTo(200);
        assertThat(mixed.body()).isEqualTo("{\"like_count\":5,\"tags\":[\"a\",\"b\"]}");
        assertThat(mixed.headers().firstValue("X-HybridStore-Parts")).hasValue("hot,cold");
        assertThat(gets).as("one hot replica and the cold part's data shards").isGreaterThanOrEqualTo(5);

        HttpResponse<String> none = read("?fields=no_such_field");
        assertThat(none.body()).isEqualTo("{}");
        assertThat(none.headers().firstValue("X-HybridStore-Parts")).hasValue("none");
    }

    @Test
    void aProjectionOfAnUnsplitObjectReadsItWholeAndBadListsAreRefused() {
        String key = "projection-ec-" + SUFFIX;
        assertThat(api.write(key, "ec", "{\"a\":1,\"b\":{\"c\":2},\"d\":3}").status()).isEqualTo(200);
        Api.Response whole = api.get("/read/" + key + "?fields=d,b");
        assertThat(whole.text()).isEqualTo("{\"b\":{\"c\":2},\"d\":3}");

        Api.Response empty = api.get("/read/" + KEY + "?fields=");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().path("error").asString()).isEqualTo("invalid_fields");
        assertThat(api.get("/read/" + KEY + "?fields=a,,b").status()).isEqualTo(400);
        assertThat(api.get("/read/projection-missing-" + SUFFIX + "?fields=a").status()).isEqualTo(404);
    }

    @Test
    void s3GetObjectTakesTheSameProjection() {
        String bucket = "projection-" + SUFFIX;
        s3.createBucket(b -> b.bucket(bucket).overrideConfiguration(o -> o.putHeader("x-hybridstore-strategy",
                "field_hybrid")));
        s3.putObject(b -> b.bucket(bucket).key("item.json").contentType("application/json"),
                RequestBody.fromString(VALUE));
        var answer = s3.getObjectAsBytes(b -> b.bucket(bucket).key("item.json")
                .overrideConfiguration(o -> o.putRawQueryParameter("x-hybridstore-fields", "like_count")));
        assertThat(answer.asUtf8String()).isEqualTo("{\"like_count\":5}");
        assertThat(answer.response().sdkHttpResponse().firstMatchingHeader("x-hybridstore-parts")).hasValue("hot");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("item.json")).asUtf8String()).isEqualTo(VALUE);
        s3.deleteObject(b -> b.bucket(bucket).key("item.json"));
        s3.deleteBucket(b -> b.bucket(bucket));
    }
}
