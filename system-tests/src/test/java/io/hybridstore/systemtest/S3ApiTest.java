package io.hybridstore.systemtest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 API through nginx on the test cluster, driven by the AWS SDK for Java v2 with its default checksums. */
class S3ApiTest {

    private static final LocalCluster cluster = LocalCluster.get();
    /** Per run, so a cluster kept between runs (HS_TEST_KEEP_CLUSTER) starts each one without buckets of its own. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final String BUCKET = "s3-api-test-" + RUN;
    private static S3Client s3;

    @BeforeAll
    static void createBucket() {
        s3 = client(cluster.s3Key().get(0), cluster.s3Key().get(1));
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    static S3Client client(String accessKey, String secretKey) {
        return client(accessKey, secretKey, cluster.s3Url());
    }

    static S3Client client(String accessKey, String secretKey, String url) {
        return S3Client.builder().endpointOverride(URI.create(url)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void aBucketIsCreatedListedAndRefusedTwice() {
        assertThat(s3.listBuckets().buckets()).anyMatch(b -> b.name().equals(BUCKET));
        s3.headBucket(b -> b.bucket(BUCKET));
        assertThatThrownBy(() -> s3.createBucket(b -> b.bucket(BUCKET)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("BucketAlreadyOwnedByYou"));
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("no-such-bucket-here")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @ParameterizedTest
    @ValueSource(strings = {"replication", "ec"})
    void anyBytesComeBackWithTheirMetadataAndAnMd5ETag(String strategy) throws Exception {
        byte[] value = new byte[2 * 1024 * 1024 + 17];
        new Random(7).nextBytes(value);
        String key = "bytes/" + strategy + "/ü key+with spaces";
        String etag = s3.putObject(b -> b.bucket(BUCKET).key(key).contentType("image/png")
                        .metadata(Map.of("colour", "blue")).cacheControl("max-age=60")
                        .overrideConfiguration(o -> o.putHeader("x-hybridstore-strategy", strategy)),
                RequestBody.fromBytes(value)).eTag();
        assertThat(etag).isEqualTo("\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(value)) + "\"");

        ResponseBytes<GetObjectResponse> read = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
        assertThat(read.asByteArray()).isEqualTo(value);
        assertThat(read.response().eTag()).isEqualTo(etag);
        assertThat(read.response().contentType()).isEqualTo("image/png");
        assertThat(read.response().cacheControl()).isEqualTo("max-age=60");
        assertThat(read.response().contentEncoding()).as("aws-chunked framed the upload, it is not the object's").isNull();
        assertThat(read.response().metadata()).containsEntry("colour", "blue");

        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(key));
        assertThat(head.contentLength()).isEqualTo(value.length);
        assertThat(head.storageClassAsString()).isEqualTo(strategy.equals("ec") ? null : "REDUCED_REDUNDANCY");

        byte[] range = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).range("bytes=1048570-1048589")).asByteArray();
        assertThat(range).isEqualTo(java.util.Arrays.copyOfRange(value, 1048570, 1048590));
        byte[] tail = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).range("bytes=-5")).asByteArray();
        assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(value, value.length - 5, value.length));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key(key).range("bytes=" + value.length + "-")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidRange"));

        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key(key).ifNoneMatch(etag)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key(key).ifMatch("\"other\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));

        s3.deleteObject(b -> b.bucket(BUCKET).key(key));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key(key)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("NoSuchKey"));
    }

    @Test
    void aRangeOfAnEcObjectFetchesOnlyTheStripesItCovers() throws Exception {
        byte[] value = new byte[3 * 1024 * 1024 + 100];
        new Random(11).nextBytes(value);
        String key = "ranges/three-stripes";
        s3.putObject(b -> b.bucket(BUCKET).key(key).overrideConfiguration(o -> o.putHeader("x-hybridstore-strategy", "ec")),
                RequestBody.fromBytes(value));
        long before = shardGets();
        byte[] range = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).range("bytes=1048676-1048775")).asByteArray();
        long fetched = shardGets() - before;
        assertThat(range).isEqualTo(java.util.Arrays.copyOfRange(value, 1048676, 1048776));
        assertThat(fetched).as("shards fetched for a range inside the second of four stripes (k = 4)").isBetween(4L, 6L);
        s3.deleteObject(b -> b.bucket(BUCKET).key(key));
    }

    @Test
    void aRangeOfAFieldHybridObjectIsCutFromTheReassembledValue() {
        String json = "{\"like_count\":7,\"bio\":\"" + "y".repeat(3000) + "\"}";
        s3.putObject(b -> b.bucket(BUCKET).key("ranges/hybrid").contentType("application/json")
                .overrideConfiguration(o -> o.putHeader("x-hybridstore-strategy", "field_hybrid")), RequestBody.fromString(json));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("ranges/hybrid").range("bytes=1-12")).asUtf8String())
                .isEqualTo(json.substring(1, 13));
        s3.deleteObject(b -> b.bucket(BUCKET).key("ranges/hybrid"));
    }

    /** Blob gets the storage nodes have answered over the blob protocol, summed over all six. */
    private static long shardGets() throws Exception {
        long total = 0;
        for (int n = 1; n <= HealerTestCluster.NODES; n++) {
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(cluster.storageNodeUrl(n) + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : metrics.lines().toList()) {
                if (line.startsWith("hybridstore_wire_requests_seconds_count{op=\"get\"")) {
                    total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return total;
    }

    @Test
    void aJsonObjectStoredFieldHybridIsTheNativeApisObjectToo() throws Exception {
        String json = "{\"like_count\":1,\"bio\":\"" + "x".repeat(5000) + "\"}";
        s3.putObject(b -> b.bucket(BUCKET).key("users/ada").contentType("application/json")
                        .overrideConfiguration(o -> o.putHeader("x-hybridstore-strategy", "field_hybrid")),
                RequestBody.fromString(json));
        HttpResponse<String> viaNative = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(cluster.gatewayUrl() + "/read/" + BUCKET + "/users/ada")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(viaNative.statusCode()).isEqualTo(200);
        assertThat(viaNative.headers().firstValue("X-HybridStore-Strategy")).hasValue("field_hybrid");
        assertThat(viaNative.body()).isEqualTo(json);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("users/ada")).asUtf8String()).isEqualTo(json);

        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("users/bad").contentType("text/plain")
                        .overrideConfiguration(o -> o.putHeader("x-hybridstore-strategy", "field_hybrid")),
                RequestBody.fromString(json)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        s3.deleteObject(b -> b.bucket(BUCKET).key("users/ada"));
    }

    @Test
    void anEmptyObjectIsAnObject() {
        s3.putObject(b -> b.bucket(BUCKET).key("folder/"), RequestBody.empty());
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("folder/")).asByteArray()).isEmpty();
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("folder/")).eTag())
                .isEqualTo("\"d41d8cd98f00b204e9800998ecf8427e\"");
        s3.deleteObject(b -> b.bucket(BUCKET).key("folder/"));
    }

    @Test
    void listingsPageInKeyOrderAndRollUpCommonPrefixes() {
        String bucket = "s3-listing-test-" + RUN;
        s3.createBucket(b -> b.bucket(bucket));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            keys.add(String.format("dir%d/file-%02d", i % 3, i));
        }
        keys.addAll(List.of("top-a", "top-b", "t\u00e9", "t~"));
        keys.forEach(k -> s3.putObject(b -> b.bucket(bucket).key(k), RequestBody.fromString(k)));

        List<String> all = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).maxKeys(7)).contents().forEach(o -> all.add(o.key()));
        List<String> utf8Order = keys.stream().sorted((a, b) -> java.util.Arrays.compareUnsigned(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8))).toList();
        assertThat(all).isEqualTo(utf8Order);

        ListObjectsV2Response rolled = s3.listObjectsV2(b -> b.bucket(bucket).delimiter("/"));
        assertThat(rolled.commonPrefixes().stream().map(CommonPrefix::prefix)).containsExactly("dir0/", "dir1/", "dir2/");
        assertThat(rolled.contents().stream().map(S3Object::key)).containsExactly("top-a", "top-b", "t~", "t\u00e9");

        List<String> paged = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).delimiter("/").maxKeys(2)).forEach(page -> {
            page.commonPrefixes().forEach(p -> paged.add(p.prefix()));
            page.contents().forEach(o -> paged.add(o.key()));
        });
        assertThat(paged).containsExactly("dir0/", "dir1/", "dir2/", "top-a", "top-b", "t~", "t\u00e9");

        ListObjectsV2Response inDir = s3.listObjectsV2(b -> b.bucket(bucket).prefix("dir1/").delimiter("/"));
        assertThat(inDir.contents()).hasSize(10).allMatch(o -> o.key().startsWith("dir1/") && o.size() == o.key().length());
        assertThat(s3.listObjects(b -> b.bucket(bucket).prefix("dir2/").maxKeys(3)).contents()).hasSize(3);
        assertThat(s3.listObjectVersions(b -> b.bucket(bucket)).versions()).hasSize(keys.size())
                .allMatch(v -> v.versionId().equals("null") && v.isLatest());

        assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket(bucket)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("BucketNotEmpty"));
        DeleteObjectsResponse deleted = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder()
                .objects(keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList()).build()));
        assertThat(deleted.deleted()).hasSize(keys.size());
        assertThat(deleted.errors()).isEmpty();
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).keyCount()).isZero();
        s3.deleteBucket(b -> b.bucket(bucket));
        assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(bucket));
    }

    @Test
    void aCopyKeepsOrReplacesMetadataAndCopyingOntoItselfNeedsReplace() {
        s3.putObject(b -> b.bucket(BUCKET).key("copy/source").contentType("text/plain").metadata(Map.of("a", "1")),
                RequestBody.fromString("copied bytes"));
        String etag = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy/source")
                .destinationBucket(BUCKET).destinationKey("copy/kept")).copyObjectResult().eTag();
        ResponseBytes<GetObjectResponse> kept = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("copy/kept"));
        assertThat(kept.asUtf8String()).isEqualTo("copied bytes");
        assertThat(kept.response().eTag()).isEqualTo(etag);
        assertThat(kept.response().contentType()).isEqualTo("text/plain");
        assertThat(kept.response().metadata()).containsExactlyEntriesOf(Map.of("a", "1"));

        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy/source").destinationBucket(BUCKET)
                .destinationKey("copy/source").metadataDirective("REPLACE").metadata(Map.of("b", "2")));
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("copy/source")).metadata())
                .containsExactlyEntriesOf(Map.of("b", "2"));
        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy/source")
                .destinationBucket(BUCKET).destinationKey("copy/source")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidRequest"));
        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy/source")
                .destinationBucket(BUCKET).destinationKey("copy/other").copySourceIfMatch("\"stale\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        s3.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(ObjectIdentifier.builder().key("copy/source").build(),
                ObjectIdentifier.builder().key("copy/kept").build())));
    }

    @Test
    void aConditionalPutCreatesOnlyOnceAndOverwritesOnlyTheVersionItNames() {
        String key = "conditional/" + RUN;
        String first = s3.putObject(b -> b.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromString("one")).eTag();
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key(key).ifNoneMatch("*"), RequestBody.fromString("two")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key(key).ifMatch("\"0123\""), RequestBody.fromString("two")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        s3.putObject(b -> b.bucket(BUCKET).key(key).ifMatch(first), RequestBody.fromString("three"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String()).isEqualTo("three");
        s3.deleteObject(b -> b.bucket(BUCKET).key(key));
    }

    @Test
    void twoThousandKeysListInPagesWithTheirFoldersRolledUp() throws Exception {
        String bucket = "s3-listing-2000-" + RUN;
        s3.createBucket(b -> b.bucket(bucket));
        List<String> keys = new ArrayList<>();
        for (int folder = 0; folder < 20; folder++) {
            for (int i = 0; i < 100; i++) {
                keys.add(String.format("f%02d/k%03d", folder, i));
            }
        }
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
            List<java.util.concurrent.Future<?>> puts = new ArrayList<>();
            for (String key : keys) {
                puts.add(pool.submit(() -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key))));
            }
            for (java.util.concurrent.Future<?> put : puts) {
                put.get();
            }
        }
        List<String> all = new ArrayList<>();
        int[] pages = {0};
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).forEach(page -> {
            pages[0]++;
            page.contents().forEach(o -> all.add(o.key()));
        });
        assertThat(all).isEqualTo(keys);
        assertThat(pages[0]).isEqualTo(2);

        List<String> folders = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).delimiter("/").maxKeys(7))
                .forEach(page -> page.commonPrefixes().forEach(p -> folders.add(p.prefix())));
        assertThat(folders).hasSize(20).first().isEqualTo("f00/");
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("f07/").startAfter("f07/k049")).contents())
                .hasSize(50).first().extracting(S3Object::key).isEqualTo("f07/k050");

        List<String> deleted = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += 1000) {
            List<ObjectIdentifier> batch = keys.subList(from, from + 1000).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
            deleted.addAll(batch.stream().map(ObjectIdentifier::key).toList());
        }
        assertThat(deleted).hasSize(2000);
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).keyCount()).isZero();
        s3.deleteBucket(b -> b.bucket(bucket));
    }

    @Test
    void wrongOrMissingCredentialsAreRefused() throws Exception {
        try (S3Client wrongSecret = client(cluster.s3Key().get(0), "not-the-secret")) {
            assertThatThrownBy(() -> wrongSecret.listBuckets())
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("SignatureDoesNotMatch"));
            assertThatThrownBy(() -> wrongSecret.putObject(b -> b.bucket(BUCKET).key("forged"), RequestBody.fromString("x")))
                    .isInstanceOf(S3Exception.class);
        }
        try (S3Client unknownKey = client("AKIDUNKNOWN", cluster.s3Key().get(1))) {
            assertThatThrownBy(() -> unknownKey.listBuckets())
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("InvalidAccessKeyId"));
        }
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(cluster.s3Url() + "/" + BUCKET)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(403);
        assertThat(anonymous.headers().firstValue("x-amz-request-id")).isPresent();
        assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>");
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("forged")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void aPresignedUrlReadsUntilItIsTamperedWith() throws Exception {
        s3.putObject(b -> b.bucket(BUCKET).key("shared/report"), RequestBody.fromString("quarterly"));
        try (S3Presigner presigner = S3Presigner.builder().endpointOverride(URI.create(cluster.s3Url()))
                .region(Region.US_EAST_1).serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        cluster.s3Key().get(0), cluster.s3Key().get(1)))).build()) {
            URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket(BUCKET).key("shared/report"))).url().toURI();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).isEqualTo("quarterly");
            URI other = URI.create(url.toString().replace("/shared/report", "/shared/other"));
            HttpResponse<String> tampered = http.send(HttpRequest.newBuilder(other).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(tampered.statusCode()).isEqualTo(403);
            assertThat(tampered.body()).contains("SignatureDoesNotMatch");
        }
        s3.deleteObject(b -> b.bucket(BUCKET).key("shared/report"));
    }
}
