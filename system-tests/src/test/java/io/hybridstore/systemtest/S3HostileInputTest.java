package io.hybridstore.systemtest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed, forged and hostile S3 requests, signed by the AWS SDK's own SigV4 signer and then broken on purpose:
 * each must get its S3 error code with the status AWS gives it, as an XML error document with a request id, never a
 * 5xx, and none may store anything.
 */
class S3HostileInputTest {

    private static final LocalCluster cluster = LocalCluster.get();
    private static final String BUCKET = "s3-hostile-" + Long.toString(System.currentTimeMillis(), 36);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "expect", "connection", "upgrade");

    private record Answer(int status, String body, boolean hasRequestId) {
    }

    @BeforeAll
    static void createBucket() throws Exception {
        assertThat(send("PUT", "/" + BUCKET, Map.of(), new byte[0], false, Clock.systemUTC()).status()).isEqualTo(200);
        assertThat(send("PUT", "/" + BUCKET + "/small", Map.of(), "0123456789".getBytes(), false, Clock.systemUTC())
                .status()).isEqualTo(200);
    }

    @Test
    void everyMalformedRequestGetsItsS3ErrorAndStoresNothing() throws Exception {
        Clock now = Clock.systemUTC();
        Clock hourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        byte[] body = "payload".getBytes(StandardCharsets.UTF_8);
        Map<String, Answer> answers = new LinkedHashMap<>();
        answers.put("AccessDenied 403 anonymous", unsigned("GET", "/" + BUCKET, Map.of()));
        answers.put("AuthorizationHeaderMalformed 400 garbage credential",
                unsigned("GET", "/" + BUCKET, Map.of("Authorization", "AWS4-HMAC-SHA256 nonsense",
                        "x-amz-content-sha256", "UNSIGNED-PAYLOAD", "x-amz-date", "20261202T000000Z")));
        answers.put("InvalidArgument 400 signature version 2",
                unsigned("GET", "/" + BUCKET, Map.of("Authorization", "AWS AKIDEXAMPLE:c2lnbmF0dXJl")));
        answers.put("RequestTimeTooSkewed 403 signed an hour ago", send("GET", "/" + BUCKET, Map.of(), null, false, hourAgo));
        answers.put("SignatureDoesNotMatch 403 path changed after signing",
                tampered("GET", "/" + BUCKET + "/small", "/" + BUCKET + "/other"));
        answers.put("AccessDenied 403 an x-amz-* header added after signing", headerAdded("/" + BUCKET + "/meta-added",
                body, "x-amz-meta-injected", "yes"));
        answers.put("XAmzContentSHA256Mismatch 400 body changed after signing",
                bodyTampered("/" + BUCKET + "/sha-mismatch", body, false));
        answers.put("SignatureDoesNotMatch 403 an aws-chunked chunk changed after signing",
                bodyTampered("/" + BUCKET + "/chunk-forged", body, true));
        answers.put("BadDigest 400 Content-MD5 of another body",
                send("PUT", "/" + BUCKET + "/md5-mismatch", Map.of("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="), body, false, now));
        answers.put("InvalidDigest 400 Content-MD5 not an MD5",
                send("PUT", "/" + BUCKET + "/md5-garbage", Map.of("Content-MD5", "not base64!"), body, false, now));
        answers.put("BadDigest 400 x-amz-checksum-crc32 of another body",
                send("PUT", "/" + BUCKET + "/crc-mismatch", Map.of("x-amz-checksum-crc32", "AAAAAA=="), body, false, now));
        answers.put("InvalidBucketName 400 upper case and underscore", send("PUT", "/Bad_Bucket", Map.of(), new byte[0], false, now));
        answers.put("NoSuchBucket 404 unknown bucket", send("GET", "/no-such-bucket-" + BUCKET, Map.of(), null, false, now));
        answers.put("InvalidArgument 400 max-keys not a number", send("GET", "/" + BUCKET + "?list-type=2&max-keys=many", Map.of(), null, false, now));
        answers.put("InvalidArgument 400 continuation token not ours",
                send("GET", "/" + BUCKET + "?continuation-token=%25%25%25&list-type=2", Map.of(), null, false, now));
        answers.put("InvalidArgument 400 encoding-type other than url",
                send("GET", "/" + BUCKET + "?encoding-type=base64", Map.of(), null, false, now));
        answers.put("MalformedXML 400 DeleteObjects not XML", send("POST", "/" + BUCKET + "?delete",
                Map.of("Content-MD5", md5("<Delete><Object>"), "Content-Type", "application/xml"),
                "<Delete><Object>".getBytes(), false, now));
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Delete><Object><Key>&x;</Key></Object></Delete>";
        answers.put("MalformedXML 400 DeleteObjects with an external entity", send("POST", "/" + BUCKET + "?delete",
                Map.of("Content-MD5", md5(xxe)), xxe.getBytes(), false, now));
        String delete = "<Delete><Object><Key>small</Key></Object></Delete>";
        answers.put("InvalidRequest 400 DeleteObjects without Content-MD5",
                send("POST", "/" + BUCKET + "?delete", Map.of(), delete.getBytes(), false, now));
        answers.put("InvalidRange 416 range past the end",
                send("GET", "/" + BUCKET + "/small", Map.of("Range", "bytes=100-200"), null, false, now));
        answers.put("KeyTooLongError 400 key over 1024 bytes",
                send("PUT", "/" + BUCKET + "/" + "k".repeat(1100), Map.of(), body, false, now));
        answers.put("InvalidArgument 400 unknown strategy",
                send("PUT", "/" + BUCKET + "/bad-strategy", Map.of("x-hybridstore-strategy", "raid5"), body, false, now));
        answers.put("InvalidStorageClass 400 GLACIER",
                send("PUT", "/" + BUCKET + "/glacier", Map.of("x-amz-storage-class", "GLACIER"), body, false, now));
        answers.put("InvalidArgument 400 field_hybrid of bytes that are not JSON",
                send("PUT", "/" + BUCKET + "/not-json", Map.of("x-hybridstore-strategy", "field_hybrid",
                        "Content-Type", "application/json"), body, false, now));
        answers.put("NotImplemented 501 ACLs", send("GET", "/" + BUCKET + "?acl", Map.of(), null, false, now));
        answers.put("NoSuchUpload 404 a part of an unknown upload",
                send("PUT", "/" + BUCKET + "/part?partNumber=1&uploadId=0000", Map.of(), body, false, now));
        answers.put("InvalidArgument 400 part number 0",
                send("PUT", "/" + BUCKET + "/part?partNumber=0&uploadId=0000", Map.of(), body, false, now));
        answers.put("InvalidArgument 400 malformed percent-encoding in the key",
                send("GET", "/" + BUCKET + "/%E0%A4", Map.of(), null, false, now));
        answers.put("InvalidArgument 400 a version id of a versioned bucket",
                send("GET", "/" + BUCKET + "/small?versionId=3HL4kqtJlcpXroDTDmJ", Map.of(), null, false, now));

        List<String> wrong = new ArrayList<>();
        answers.forEach((row, answer) -> {
            String[] expected = row.split(" ", 3);
            boolean ok = answer.status() == Integer.parseInt(expected[1])
                    && answer.body().contains("<Code>" + expected[0] + "</Code>") && answer.hasRequestId();
            if (!ok) {
                wrong.add(row + ": got " + answer.status() + " " + answer.body());
            }
        });
        assertThat(wrong).as("requests that did not get their S3 error").isEmpty();
        for (String key : List.of("meta-added", "sha-mismatch", "chunk-forged", "md5-mismatch", "md5-garbage", "crc-mismatch",
                "bad-strategy", "glacier", "not-json")) {
            assertThat(send("HEAD", "/" + BUCKET + "/" + key, Map.of(), null, false, now).status()).as(key).isEqualTo(404);
        }
        assertThat(send("GET", "/" + BUCKET + "/small", Map.of(), null, false, now).body()).isEqualTo("0123456789");
    }

    /** A request signed by the SDK's signer at {@code clock}, optionally as aws-chunked with chunk signatures. */
    private static Answer send(String method, String pathAndQuery, Map<String, String> headers, byte[] body,
                               boolean chunked, Clock clock) throws Exception {
        SignedRequest signed = sign(method, pathAndQuery, headers, body, chunked, clock);
        return sendSigned(signed.request(), signed.payload().map(S3HostileInputTest::bytes).orElse(null));
    }

    private static SignedRequest sign(String method, String pathAndQuery, Map<String, String> headers, byte[] body,
                                      boolean chunked, Clock clock) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method))
                .uri(URI.create(cluster.s3Url() + pathAndQuery));
        headers.forEach(request::putHeader);
        if (body != null) {
            request.putHeader("Content-Length", Integer.toString(body.length));
        }
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(cluster.s3Key().get(0), cluster.s3Key().get(1)))
                .request(request.build())
                .payload(body == null ? null : ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, chunked)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    }

    /** Signed for one path, sent to another. */
    private static Answer tampered(String method, String signedPath, String sentPath) throws Exception {
        SdkHttpRequest signed = sign(method, signedPath, Map.of(), null, false, Clock.systemUTC()).request();
        return sendSigned(signed.toBuilder().uri(URI.create(cluster.s3Url() + sentPath)).build(), null);
    }

    /** Signed as it is, sent with one more header. */
    private static Answer headerAdded(String path, byte[] body, String name, String value) throws Exception {
        SignedRequest signed = sign("PUT", path, Map.of(), body, false, Clock.systemUTC());
        return sendSigned(signed.request().toBuilder().putHeader(name, value).build(),
                bytes(signed.payload().orElseThrow()));
    }

    /** Signed with one body, sent with its last data byte changed. */
    private static Answer bodyTampered(String path, byte[] body, boolean chunked) throws Exception {
        SignedRequest signed = sign("PUT", path, Map.of(), body, chunked, Clock.systemUTC());
        byte[] sent = bytes(signed.payload().orElseThrow());
        String text = new String(sent, StandardCharsets.ISO_8859_1);
        int at = chunked ? text.indexOf("payload") : 0;
        sent[at] ^= 0x20;
        return sendSigned(signed.request(), sent);
    }

    private static Answer unsigned(String method, String path, Map<String, String> headers) throws Exception {
        return sendSigned(SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method))
                .uri(URI.create(cluster.s3Url() + path)).headers(headers.entrySet().stream().collect(
                        java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())))).build(), null);
    }

    private static Answer sendSigned(SdkHttpRequest request, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder http = HttpRequest.newBuilder(request.getUri()).timeout(Duration.ofSeconds(30))
                .method(request.method().name(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        request.headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> http.header(name, value));
            }
        });
        HttpResponse<String> response = HTTP.send(http.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(),
                response.headers().firstValue("x-amz-request-id").isPresent());
    }

    private static byte[] bytes(ContentStreamProvider provider) {
        try (InputStream in = provider.newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String md5(String text) {
        try {
            return java.util.Base64.getEncoder().encodeToString(
                    java.security.MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
