package io.hybridstore.gateway.s3.auth;

import io.hybridstore.gateway.s3.S3Error;
import io.hybridstore.gateway.s3.auth.SigV4Verifier.PayloadMode;
import io.hybridstore.gateway.s3.auth.SigV4Verifier.Verified;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.CLOCK;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.NOW;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.bytes;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.decode;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.received;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.refused;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.request;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.sdkSign;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.verifier;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.withHeader;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.withPath;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.withQuery;
import static org.assertj.core.api.Assertions.assertThat;

/** Requests signed by the AWS SDK for Java v2's own SigV4 signer, in the Authorization header and presigned. */
class SigV4SdkSignerTest {

    private final SigV4Verifier verifier = verifier(CLOCK);

    private static software.amazon.awssdk.http.auth.spi.signer.SignedRequest signHeader(SdkHttpRequest request,
                                                                                 byte[] body) {
        return sdkSign(request, body, NOW, r -> r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    }

    private static software.amazon.awssdk.http.auth.spi.signer.SignedRequest presign(SdkHttpRequest request,
                                                                              Duration expiry, Instant at) {
        return sdkSign(request, null, at, r -> r
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, expiry)
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    }

    private static String path(String bucket, String key) {
        return "/" + bucket + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain.txt", "my key with spaces", "a+b=c&d;e,f", "~tilde/!bang'quote(paren)*star",
            "ünïcödé/日本語/😀", "dir//double/./dot/../dotdot", "100%/%2F/%41", "trailing/",
            "$dollar@at:colon"})
    void headerSignedRequestsForAwkwardKeysVerify(String key) {
        SdkHttpRequest get = request("GET", path("bucket", key)).build();

        var signed = signHeader(get, null);
        Verified verified = verifier.verify(received(signed.request()));

        assertThat(verified.accessKey()).isEqualTo(SigV4Fixtures.AKID);
        assertThat(verified.scope()).isEqualTo("20261202/eu-west-3/s3/aws4_request");
        assertThat(verified.mode()).isEqualTo(PayloadMode.SHA256_HEX);
    }

    /** Clients and Tomcat differ in what they leave unescaped; what was signed escaped still verifies. */
    @Test
    void aPathSentWithCharactersLeftUnescapedStillVerifies() {
        var signed = signHeader(request("GET", path("bucket", "café/~me/$5/my key")).build(), null);
        assertThat(received(signed.request()).rawPath())
                .isEqualTo("/bucket/caf%C3%A9/~me/%245/my%20key");

        for (String sent : List.of("/bucket/café/~me/$5/my%20key", "/bucket/caf%c3%a9/%7Eme/%245/my%20key",
                // UTF-8 bytes sent unescaped, as Tomcat's getRequestURI hands them over: one char per byte.
                "/bucket/caf\u00c3\u00a9/~me/$5/my%20key")) {
            assertThat(verifier.verify(withPath(received(signed.request()), sent)).accessKey()).as(sent)
                    .isEqualTo(SigV4Fixtures.AKID);
        }
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withPath(received(signed.request()),
                "/bucket/cafe/~me/$5/my%20key")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withPath(received(signed.request()),
                "/bucket/caf%C3%A9/~me/$5/my+key")));
    }

    @Test
    void queryParametersAreSignedSortedAndEncodedTheAwsWay() {
        SdkHttpRequest list = request("GET", "/bucket")
                .putRawQueryParameter("list-type", "2")
                .putRawQueryParameter("prefix", "photos/ 2026+ü&=")
                .putRawQueryParameter("delimiter", "/")
                .putRawQueryParameter("start-after", "")
                .putRawQueryParameter("tag", List.of("b", "a", "a b"))
                .putRawQueryParameter("Zeta", "upper case sorts first")
                .build();
        var signed = signHeader(list, null);
        assertThat(verifier.verify(received(signed.request())).accessKey()).isEqualTo(SigV4Fixtures.AKID);

        String rawQuery = received(signed.request()).rawQuery();
        // The same parameters in another order and with other (equivalent) escapes still verify.
        String reordered = String.join("&", List.of(rawQuery.split("&")).reversed()).replace("%2F", "/")
                .replace("%20", "+");
        assertThat(verifier.verify(withQuery(received(signed.request()), reordered)).accessKey())
                .isEqualTo(SigV4Fixtures.AKID);
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withQuery(received(signed.request()),
                rawQuery.replace("list-type=2", "list-type=1"))));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withQuery(received(signed.request()),
                rawQuery + "&uploads")));
    }

    @Test
    void aParameterWithoutValueSignsAsNameEquals() {
        SdkHttpRequest uploads = request("POST", "/bucket/key").putRawQueryParameter("uploads", (String) null).build();
        var signed = signHeader(uploads, new byte[0]);

        for (String query : List.of("uploads", "uploads=")) {
            assertThat(verifier.verify(withQuery(received(signed.request()), query)).accessKey())
                    .isEqualTo(SigV4Fixtures.AKID);
        }
    }

    @Test
    void signedHeadersAreCanonicalisedAsTheSdkDoes() {
        SdkHttpRequest put = request("PUT", "/bucket/key")
                .putHeader("Content-Type", "text/plain")
                .putHeader("Content-Length", "5")
                .putHeader("x-amz-meta-Note", "  several   inner   spaces  ")
                .putHeader("x-amz-meta-list", List.of("one", "two"))
                .putHeader("X-Amz-Storage-Class", "STANDARD")
                .build();
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        var signed = signHeader(put, body);
        SignedRequest received = received(signed.request());

        Verified verified = verifier.verify(received);

        assertThat(decode(verified, received, body)).isEqualTo(body);
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withHeader(received, "x-amz-meta-note",
                "several inner space")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withHeader(received, "x-amz-meta-list",
                "two", "one")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withHeader(received, "content-type",
                "text/html")));
        refused(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH, () -> decode(verified, received, "hellO".getBytes()));
        refused(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH, () -> decode(verified, received, "hell".getBytes()));
    }

    @Test
    void anUnsignedPayloadPassesThrough() {
        byte[] body = "not signed".getBytes(StandardCharsets.UTF_8);
        // Over plain HTTP the SDK signs the payload whatever it is told; over HTTPS it leaves it unsigned.
        var signed = sdkSign(request("PUT", "/bucket/key").protocol("https").putHeader("Content-Length", "10").build(),
                body,
                NOW, r -> r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        SignedRequest received = received(signed.request());

        Verified verified = verifier.verify(received);

        assertThat(verified.mode()).isEqualTo(PayloadMode.UNSIGNED);
        assertThat(decode(verified, received, "anything else".getBytes())).isEqualTo("anything else".getBytes());
    }

    @Test
    void theWrongSecretAndAnUnknownKeyAreRefused() {
        var signed = signHeader(request("GET", "/bucket/key").build(), null);
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> new SigV4Verifier(k -> Optional.of("wrong"), CLOCK)
                .verify(received(signed.request())));

        var stranger = sdkSign(request("GET", "/bucket/key").build(), null, NOW, r -> r
                .identity(AwsCredentialsIdentity.create("AKIDSTRANGER", SigV4Fixtures.SECRET)));
        refused(S3Error.INVALID_ACCESS_KEY_ID, () -> verifier.verify(received(stranger.request())));
    }

    @Test
    void aRequestSignedTooLongAgoOrAheadIsSkewed() {
        for (Duration offset : List.of(Duration.ofMinutes(-20), Duration.ofMinutes(20))) {
            var signed = sdkSign(request("GET", "/bucket/key").build(), null, NOW.plus(offset), r -> {
            });
            refused(S3Error.REQUEST_TIME_TOO_SKEWED, () -> verifier.verify(received(signed.request())));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRC32", "CRC32C", "SHA1", "SHA256"})
    void aChecksumHeaderTheSdkAddsIsVerifiedAndReported(String algorithm) {
        ChecksumAlgorithm checksum = DefaultChecksumAlgorithm.fromValue(algorithm);
        byte[] body = "checksummed body".getBytes(StandardCharsets.UTF_8);
        var signed = sdkSign(request("PUT", "/bucket/key").putHeader("Content-Length", "16").build(), body,
                NOW, r -> r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                        .putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, checksum));
        SignedRequest received = received(signed.request());
        String header = "x-amz-checksum-" + algorithm.toLowerCase(Locale.ROOT);
        assertThat(received.header(header)).isPresent();

        Verified verified = verifier.verify(received);
        Payloads.Body decoded = Payloads.body(verified, received, new ByteArrayInputStream(body));

        assertThat(decoded.checksum()).isEmpty();
        assertThat(SigV4Fixtures.readAll(decoded)).isEqualTo(body);
        assertThat(decoded.checksum()).contains(new Payloads.VerifiedChecksum(header,
                received.header(header).orElseThrow()));
    }

    @Test
    void aPresignedGetVerifiesUntilItExpires() {
        var signed = presign(request("GET", path("bucket", "photos/my photo ü.jpg")).build(),
                Duration.ofMinutes(5), NOW);
        SignedRequest received = received(signed.request());
        assertThat(received.rawQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=300");
        assertThat(received.header("authorization")).isEmpty();

        Verified verified = verifier.verify(received);

        assertThat(verified.mode()).isEqualTo(PayloadMode.UNSIGNED);
        assertThat(verifier(Clock.fixed(NOW.plusSeconds(300), ZoneOffset.UTC)).verify(received).accessKey())
                .isEqualTo(SigV4Fixtures.AKID);
        refused(S3Error.ACCESS_DENIED, () -> verifier(Clock.fixed(NOW.plusSeconds(301), ZoneOffset.UTC))
                .verify(received));
    }

    @Test
    void aPresignedUrlForAWeekVerifies() {
        var signed = presign(request("GET", "/bucket/key").build(), Duration.ofDays(7), NOW);
        assertThat(verifier(Clock.fixed(NOW.plus(Duration.ofDays(7)), ZoneOffset.UTC))
                .verify(received(signed.request())).accessKey()).isEqualTo(SigV4Fixtures.AKID);
    }

    @Test
    void aPresignedUrlSignedInTheFutureIsRefused() {
        var early = presign(request("GET", "/bucket/key").build(), Duration.ofHours(1),
                NOW.plus(Duration.ofMinutes(20)));
        refused(S3Error.REQUEST_TIME_TOO_SKEWED, () -> verifier.verify(received(early.request())));

        var slightlyEarly = presign(request("GET", "/bucket/key").build(), Duration.ofHours(1),
                NOW.plus(Duration.ofMinutes(10)));
        assertThat(verifier.verify(received(slightlyEarly.request())).accessKey()).isEqualTo(SigV4Fixtures.AKID);
    }

    @Test
    void aTamperedPresignedUrlIsRefused() {
        var signed = presign(request("PUT", "/bucket/key").putRawQueryParameter("partNumber", "1")
                .putRawQueryParameter("uploadId", "abc").putHeader("x-amz-meta-owner", "me").build(),
                Duration.ofHours(1), NOW);
        SignedRequest received = received(signed.request());
        assertThat(verifier.verify(received).mode()).isEqualTo(PayloadMode.UNSIGNED);

        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withPath(received, "/bucket/other")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withQuery(received,
                received.rawQuery().replace("partNumber=1", "partNumber=2"))));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withHeader(received, "x-amz-meta-owner",
                "you")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(new SignedRequest("GET", received.rawPath(),
                received.rawQuery(), received.headers())));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> new SigV4Verifier(k -> Optional.of("wrong"), CLOCK)
                .verify(received));
        refused(S3Error.INVALID_ACCESS_KEY_ID, () -> new SigV4Verifier(k -> Optional.empty(), CLOCK)
                .verify(received));
    }

    @Test
    void theSdkSignedBodyOfAChunkedUploadIsVerifiedChunkByChunk() {
        byte[] body = new byte[200_000];
        new Random(7).nextBytes(body);
        var signed = sdkSign(request("PUT", "/bucket/key").putHeader("Content-Length",
                Integer.toString(body.length)).build(), body, NOW, r -> r
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true));
        SignedRequest received = received(signed.request());

        Verified verified = verifier.verify(received);

        assertThat(verified.mode()).isEqualTo(PayloadMode.STREAMING_SIGNED);
        assertThat(decode(verified, received, bytes(signed.payload().orElseThrow()))).isEqualTo(body);
        assertThat(received.header("x-amz-decoded-content-length")).contains(Integer.toString(body.length));
    }
}
