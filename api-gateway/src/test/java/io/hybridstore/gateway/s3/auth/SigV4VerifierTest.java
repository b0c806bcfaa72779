package io.hybridstore.gateway.s3.auth;

import io.hybridstore.gateway.s3.S3Error;
import io.hybridstore.gateway.s3.auth.SigV4Verifier.PayloadMode;
import io.hybridstore.gateway.s3.auth.SigV4Verifier.Verified;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.AKID;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.SECRET;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.decode;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.refused;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.verifier;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.withHeader;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.withPath;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.withQuery;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signatures worked out in the AWS S3 documentation ("Signature Calculations for the Authorization Header" and
 * "Authenticating Requests: Using Query Parameters"), and what the verifier refuses.
 */
class SigV4VerifierTest {

    private static final Instant EXAMPLE_TIME = Instant.parse("2013-05-24T00:00:00Z");
    private static final Clock EXAMPLE_CLOCK = Clock.fixed(EXAMPLE_TIME, ZoneOffset.UTC);
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String HOST = "examplebucket.s3.amazonaws.com";
    private static final String SCOPE = "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";

    private final SigV4Verifier verifier = verifier(EXAMPLE_CLOCK);

    /** The documentation's GET Object: the first 10 bytes of test.txt. */
    private static SignedRequest getObject() {
        return request("GET", "/test.txt", null, Map.of(
                "host", HOST,
                "range", "bytes=0-9",
                "x-amz-content-sha256", EMPTY_SHA256,
                "x-amz-date", "20130524T000000Z",
                "authorization", "AWS4-HMAC-SHA256 Credential=" + SCOPE + ",SignedHeaders=host;range;"
                        + "x-amz-content-sha256;x-amz-date,Signature="
                        + "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
    }

    private static SignedRequest request(String method, String rawPath, String rawQuery, Map<String, String> headers) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach((name, value) -> multi.put(name, List.of(value)));
        return new SignedRequest(method, rawPath, rawQuery, multi);
    }

    private static SignedRequest withAuthorization(SignedRequest request, String from, String to) {
        return withHeader(request, "authorization", request.header("authorization").orElseThrow().replace(from, to));
    }

    @Test
    void theDocumentedGetObjectVerifies() {
        Verified verified = verifier.verify(getObject());

        assertThat(verified.accessKey()).isEqualTo(AKID);
        assertThat(verified.mode()).isEqualTo(PayloadMode.SHA256_HEX);
        assertThat(verified.payloadHash()).isEqualTo(EMPTY_SHA256);
        assertThat(verified.amzDate()).isEqualTo("20130524T000000Z");
        assertThat(verified.scope()).isEqualTo("20130524/us-east-1/s3/aws4_request");
        assertThat(verified.signature()).isEqualTo("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        assertThat(verified.toString()).doesNotContain(verified.signature());
        assertThat(decode(verified, getObject(), new byte[0])).isEmpty();
    }

    /** Its key, test$file.text, is sent with the '$' unescaped: S3 signs it escaped, so the verifier escapes it. */
    @Test
    void theDocumentedPutObjectVerifiesItsUnescapedKeyItsDateHeaderAndItsBody() {
        SignedRequest put = request("PUT", "/test$file.text", null, Map.of(
                "date", "Fri, 24 May 2013 00:00:00 GMT",
                "host", HOST,
                "x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
                "x-amz-date", "20130524T000000Z",
                "x-amz-storage-class", "REDUCED_REDUNDANCY",
                "authorization", "AWS4-HMAC-SHA256 Credential=" + SCOPE + ",SignedHeaders=date;host;"
                        + "x-amz-content-sha256;x-amz-date;x-amz-storage-class,Signature="
                        + "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"));
        byte[] body = "Welcome to Amazon S3.".getBytes(StandardCharsets.UTF_8);

        Verified verified = verifier.verify(put);

        assertThat(decode(verified, put, body)).isEqualTo(body);
        assertThat(verifier.verify(withPath(put, "/test%24file.text")).accessKey()).isEqualTo(AKID);
        refused(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH, () -> decode(verified, put, "Welcome to Amazon S3!".getBytes()));
    }

    @Test
    void theDocumentedListObjectsVerifiesItsSortedQuery() {
        SignedRequest list = request("GET", "/", "max-keys=2&prefix=J", Map.of(
                "host", HOST,
                "x-amz-content-sha256", EMPTY_SHA256,
                "x-amz-date", "20130524T000000Z",
                "authorization", "AWS4-HMAC-SHA256 Credential=" + SCOPE + ",SignedHeaders=host;"
                        + "x-amz-content-sha256;x-amz-date,Signature="
                        + "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));

        assertThat(verifier.verify(list).accessKey()).isEqualTo(AKID);
        assertThat(verifier.verify(withQuery(list, "prefix=J&max-keys=2")).accessKey()).isEqualTo(AKID);
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withQuery(list, "max-keys=3&prefix=J")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withQuery(list, "max-keys=2&prefix=J&x")));
    }

    /** The documented presigned URL, valid for a day from 2013-05-24T00:00:00Z. */
    private static SignedRequest presignedGet() {
        return request("GET", "/test.txt", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE"
                + "%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
                + "&X-Amz-SignedHeaders=host&X-Amz-Signature="
                + "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", Map.of("host", HOST));
    }

    @Test
    void theDocumentedPresignedUrlVerifiesUntilItExpires() {
        Verified verified = verifier.verify(presignedGet());
        assertThat(verified.mode()).isEqualTo(PayloadMode.UNSIGNED);
        assertThat(verified.payloadHash()).isEqualTo("UNSIGNED-PAYLOAD");

        Instant lastSecond = EXAMPLE_TIME.plus(Duration.ofDays(1));
        assertThat(verifier(Clock.fixed(lastSecond, ZoneOffset.UTC)).verify(presignedGet()).accessKey())
                .isEqualTo(AKID);
        refused(S3Error.ACCESS_DENIED, () -> verifier(Clock.fixed(lastSecond.plusSeconds(1), ZoneOffset.UTC))
                .verify(presignedGet()));
        refused(S3Error.REQUEST_TIME_TOO_SKEWED, () -> verifier(Clock.fixed(EXAMPLE_TIME.minus(Duration.ofMinutes(16)),
                ZoneOffset.UTC)).verify(presignedGet()));
        assertThat(verifier(Clock.fixed(EXAMPLE_TIME.minus(Duration.ofMinutes(14)), ZoneOffset.UTC))
                .verify(presignedGet()).accessKey()).isEqualTo(AKID);
    }

    @Test
    void aTamperedPresignedUrlIsRefused() {
        SignedRequest url = presignedGet();
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withPath(url, "/test2.txt")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withQuery(url,
                url.rawQuery().replace("X-Amz-Expires=86400", "X-Amz-Expires=86401"))));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withQuery(url, url.rawQuery() + "&acl")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withHeader(url, "host", "evil.example")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(new SignedRequest("DELETE", url.rawPath(),
                url.rawQuery(), url.headers())));
        // The signed payload hash is the presigned default; a header claiming another one changes what was signed.
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withHeader(url, "x-amz-content-sha256",
                EMPTY_SHA256)));
    }

    @ParameterizedTest
    @CsvSource({
            "X-Amz-Expires=86400, X-Amz-Expires=0",
            "X-Amz-Expires=86400, X-Amz-Expires=604801",
            "X-Amz-Expires=86400, X-Amz-Expires=-5",
            "X-Amz-Expires=86400, X-Amz-Expires=a-day",
            "X-Amz-Expires=86400&, ''",
            "X-Amz-Date=20130524T000000Z, X-Amz-Date=2013-05-24",
            "X-Amz-Algorithm=AWS4-HMAC-SHA256, X-Amz-Algorithm=AWS4-HMAC-SHA512",
            "X-Amz-SignedHeaders=host, X-Amz-SignedHeaders=x-amz-date",
            "X-Amz-SignedHeaders=host&, ''",
            "us-east-1%2Fs3, us-east-1%2Fec2",
            "AKIAIOSFODNN7EXAMPLE%2F20130524, AKIAIOSFODNN7EXAMPLE%2F20130525",
            "%2Faws4_request, %2Faws5_request",
    })
    void aMalformedPresignedUrlIsAQueryParametersError(String from, String to) {
        SignedRequest url = presignedGet();
        refused(S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                () -> verifier.verify(withQuery(url, url.rawQuery().replace(from, to))));
    }

    /** Some presigners (and MinIO) carry the payload hash in the query; it is signed as any parameter is. */
    @Test
    void aPresignedUrlMayDeclareItsPayloadHashInTheQuery() {
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        String hash = SigV4Fixtures.sha256Hex(body);
        String query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=" + hash + "&X-Amz-Credential="
                + "AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z"
                + "&X-Amz-Expires=86400&X-Amz-SignedHeaders=host";
        String canonical = "PUT\n/test.txt\n" + query + "\nhost:" + HOST + "\n\nhost\n" + hash;
        String signature = SigV4Fixtures.hex(SigV4Fixtures.hmac(SigV4Fixtures.signingKey("20130524", "us-east-1"),
                "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                        + SigV4Fixtures.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8))));
        SignedRequest put = request("PUT", "/test.txt", query + "&X-Amz-Signature=" + signature, Map.of("host", HOST));

        Verified verified = verifier.verify(put);

        assertThat(verified.mode()).isEqualTo(PayloadMode.SHA256_HEX);
        assertThat(decode(verified, put, body)).isEqualTo(body);
        refused(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH, () -> decode(verified, put, "hellO".getBytes()));
    }

    @Test
    void anonymousAndOtherSchemesAreRefused() {
        SignedRequest anonymous = request("GET", "/test.txt", null, Map.of("host", HOST));
        refused(S3Error.ACCESS_DENIED, () -> verifier.verify(anonymous));
        refused(S3Error.INVALID_ARGUMENT, () -> verifier.verify(withHeader(anonymous, "authorization",
                "AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=")));
        refused(S3Error.INVALID_ARGUMENT, () -> verifier.verify(withQuery(anonymous,
                "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1141889120&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D")));
        refused(S3Error.NOT_IMPLEMENTED, () -> verifier.verify(withAuthorization(getObject(), "AWS4-HMAC-SHA256",
                "AWS4-ECDSA-P256-SHA256")));
        refused(S3Error.INVALID_ARGUMENT, () -> verifier.verify(withQuery(getObject(),
                presignedGet().rawQuery())));
    }

    @Test
    void theWrongSecretAnUnknownKeyAndAForgedSignatureAreRefused() {
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> new SigV4Verifier(key -> Optional.of(SECRET + "x"),
                EXAMPLE_CLOCK).verify(getObject()));
        refused(S3Error.INVALID_ACCESS_KEY_ID, () -> new SigV4Verifier(key -> Optional.empty(), EXAMPLE_CLOCK)
                .verify(getObject()));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withAuthorization(getObject(),
                "Signature=f0e8", "Signature=f0e9")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withAuthorization(getObject(),
                "bdb41", "bdb4")));
        assertThat(verifier.verify(withAuthorization(getObject(), "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd9",
                "F0E8BDB87C964420E857BD35B5D6ED310BD44F0170ABA48DD9")).accessKey()).isEqualTo(AKID);
    }

    @Test
    void aTamperedRequestIsRefused() {
        SignedRequest get = getObject();
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withPath(get, "/test.txt2")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withPath(get, "/Test.txt")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withPath(get, "//test.txt")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withQuery(get, "versionId=1")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withHeader(get, "range", "bytes=0-99")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withHeader(get, "range")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withHeader(get, "x-amz-content-sha256",
                "UNSIGNED-PAYLOAD")));
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(new SignedRequest("HEAD", get.rawPath(),
                get.rawQuery(), get.headers())));
        // Headers outside SignedHeaders are not covered.
        assertThat(verifier.verify(withHeader(get, "user-agent", "curl")).accessKey()).isEqualTo(AKID);
    }

    @Test
    void headerValuesAreComparedTrimmedWithInnerSpacesCollapsed() {
        assertThat(verifier.verify(withHeader(getObject(), "range", "  bytes=0-9 ")).accessKey()).isEqualTo(AKID);
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withHeader(getObject(), "range",
                "bytes=0-9", "bytes=20-29")));
    }

    @Test
    void theAuthorizationHeaderMayHaveSpacesAfterItsCommas() {
        SignedRequest spaced = withAuthorization(withAuthorization(getObject(), ",SignedHeaders", ", SignedHeaders"),
                ",Signature", ",  Signature");
        assertThat(verifier.verify(spaced).accessKey()).isEqualTo(AKID);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,|nonsense,",
            ",Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41|,",
            ",SignedHeaders=host;range;x-amz-content-sha256;x-amz-date|''",
            "SignedHeaders=host;range;|SignedHeaders=range;",
            "SignedHeaders=host;|SignedHeaders=host;;",
            "/20130524/us-east-1/s3/aws4_request|/20130524/us-east-1/s3",
            "/20130524/us-east-1/s3/aws4_request|/20130524/us-east-1/s3/aws4_request/x",
            "/s3/aws4_request|/ec2/aws4_request",
            "/aws4_request|/aws4_reqest",
            "/20130524/|/20130525/",
            "/20130524/us-east-1/|/20130524//",
            "Credential=AKIAIOSFODNN7EXAMPLE/|Credential=/",
    })
    void aMalformedAuthorizationHeaderIsRefusedAsMalformed(String from, String to) {
        refused(S3Error.AUTHORIZATION_HEADER_MALFORMED,
                () -> verifier.verify(withAuthorization(getObject(), from, to)));
    }

    @Test
    void anyRegionIsAcceptedAndSignsItsOwnKey() {
        // The documented signature is over us-east-1: the same request claiming another region derives another key.
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withAuthorization(getObject(), "/us-east-1/",
                "/eu-west-3/")));
    }

    @Test
    void theRequestTimeMustBeWithinFifteenMinutesOfTheServers() {
        for (Duration offset : List.of(Duration.ofMinutes(14), Duration.ofMinutes(-14))) {
            assertThat(verifier(Clock.fixed(EXAMPLE_TIME.plus(offset), ZoneOffset.UTC)).verify(getObject()).accessKey())
                    .isEqualTo(AKID);
        }
        for (Duration offset : List.of(Duration.ofMinutes(16), Duration.ofMinutes(-16), Duration.ofDays(400))) {
            refused(S3Error.REQUEST_TIME_TOO_SKEWED, () -> verifier(Clock.fixed(EXAMPLE_TIME.plus(offset),
                    ZoneOffset.UTC)).verify(getObject()));
        }
    }

    @Test
    void aMalformedHeaderIsReportedAsMalformedEvenWhenItsDateIsSkewed() {
        refused(S3Error.AUTHORIZATION_HEADER_MALFORMED, () -> verifier(SigV4Fixtures.CLOCK).verify(withAuthorization(
                getObject(), ",Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", "")));
    }

    /** Without x-amz-date, a signed Date header dates the request, in the string to sign's format. */
    @Test
    void theDateHeaderStandsInForXAmzDate() {
        String date = "Fri, 24 May 2013 00:00:00 GMT";
        String canonical = "GET\n/test.txt\n\ndate:" + date + "\nhost:" + HOST + "\nx-amz-content-sha256:"
                + EMPTY_SHA256 + "\n\ndate;host;x-amz-content-sha256\n" + EMPTY_SHA256;
        String signature = SigV4Fixtures.hex(SigV4Fixtures.hmac(SigV4Fixtures.signingKey("20130524", "us-east-1"),
                "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                        + SigV4Fixtures.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8))));
        SignedRequest get = request("GET", "/test.txt", null, Map.of("date", date, "host", HOST,
                "x-amz-content-sha256", EMPTY_SHA256, "authorization", "AWS4-HMAC-SHA256 Credential=" + SCOPE
                        + ", SignedHeaders=date;host;x-amz-content-sha256, Signature=" + signature));

        assertThat(verifier.verify(get).amzDate()).isEqualTo("20130524T000000Z");
        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> verifier.verify(withHeader(get, "date",
                "Fri, 24 May 2013 00:00:01 GMT")));
    }

    @Test
    void theDateAndPayloadHeadersAreRequired() {
        refused(S3Error.INVALID_REQUEST, () -> verifier.verify(withHeader(getObject(), "x-amz-content-sha256")));
        refused(S3Error.ACCESS_DENIED, () -> verifier.verify(withHeader(getObject(), "x-amz-date")));
        refused(S3Error.ACCESS_DENIED, () -> verifier.verify(withHeader(getObject(), "x-amz-date",
                "2013-05-24T00:00:00Z")));
        refused(S3Error.ACCESS_DENIED, () -> verifier.verify(withHeader(withHeader(getObject(), "x-amz-date"),
                "date", "yesterday")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "UNSIGNED", "STREAMING-AWS4-HMAC-SHA512-PAYLOAD",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85"})
    void anUnknownPayloadDeclarationIsAnInvalidArgument(String payload) {
        refused(S3Error.INVALID_ARGUMENT, () -> verifier.verify(withHeader(getObject(), "x-amz-content-sha256",
                payload)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
            "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER"})
    void sigV4aPayloadsAreNotImplemented(String payload) {
        refused(S3Error.NOT_IMPLEMENTED, () -> verifier.verify(withHeader(getObject(), "x-amz-content-sha256",
                payload)));
    }

    @Test
    void aRotatedSecretStopsVerifyingTheOldSignatures() {
        AtomicReference<String> secret = new AtomicReference<>(SECRET);
        SigV4Verifier rotating = new SigV4Verifier(key -> Optional.of(secret.get()), EXAMPLE_CLOCK);
        assertThat(rotating.verify(getObject()).accessKey()).isEqualTo(AKID);
        assertThat(rotating.verify(getObject()).signingKey()).isEqualTo(rotating.verify(getObject()).signingKey());

        secret.set("another secret");

        refused(S3Error.SIGNATURE_DOES_NOT_MATCH, () -> rotating.verify(getObject()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/test$file.text|/test%24file.text",
            "/my key|/my%20key",
            "/a+b|/a%2Bb",
            "/~user/%7Eother|/~user/~other",
            "/caf%c3%a9|/caf%C3%A9",
            "/café|/caf%C3%A9",
            "/cafÃ©|/caf%C3%A9",
            "/日本|/%E6%97%A5%E6%9C%AC",
            "/a%2Fb/c|/a%2Fb/c",
            "/%E0%A4|/%E0%A4",
            "/100%|/100%25",
            "/%zz|/%25zz",
            "/a//b/./../c/|/a//b/./../c/",
            "/bucket/k=v&x;y@z!|/bucket/k%3Dv%26x%3By%40z%21",
    })
    void thePathIsSignedWithEachSegmentEncodedOnceTheAwsWay(String rawPath, String canonical) {
        assertThat(SigV4Verifier.canonicalPath(rawPath)).isEqualTo(canonical);
    }

    @Test
    void anEmptyPathIsTheRoot() {
        assertThat(SigV4Verifier.canonicalPath("")).isEqualTo("/");
    }
}
