package io.hybridstore.gateway.s3.auth;

import io.hybridstore.gateway.s3.S3Error;
import io.hybridstore.gateway.s3.S3Exception;
import io.hybridstore.gateway.s3.auth.SigV4Verifier.PayloadMode;
import io.hybridstore.gateway.s3.auth.SigV4Verifier.Verified;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.AKID;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.NOW;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.bytes;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.decode;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.hex;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.hmac;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.received;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.refused;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.request;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.sdkSign;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.sha256Hex;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.verifier;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.withHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * aws-chunked bodies: the AWS documentation's example ("Signature Calculations for the Authorization Header:
 * Transferring Payload in Multiple Chunks"), bodies the AWS SDK's signer encodes, and broken framing.
 */
class AwsChunkedPayloadTest {

    private static final String SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    private static final List<String> CHUNK_SIGNATURES = List.of(
            "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
            "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
            "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
    private static final byte[] EXAMPLE_DATA = "a".repeat(66560).getBytes(StandardCharsets.US_ASCII);

    /** The documented upload: 66560 bytes of 'a' in a 64 KiB chunk, a 1 KiB chunk and the final empty one. */
    private static SignedRequest exampleRequest() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of("s3.amazonaws.com"));
        headers.put("x-amz-date", List.of("20130524T000000Z"));
        headers.put("x-amz-storage-class", List.of("REDUCED_REDUNDANCY"));
        headers.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                + "aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                + "x-amz-decoded-content-length;x-amz-storage-class,Signature=" + SEED));
        headers.put("x-amz-content-sha256", List.of("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"));
        headers.put("content-encoding", List.of("aws-chunked"));
        headers.put("x-amz-decoded-content-length", List.of("66560"));
        headers.put("content-length", List.of("66824"));
        return new SignedRequest("PUT", "/examplebucket/chunkObject.txt", null, headers);
    }

    private static String exampleBody(List<String> signatures) {
        return "10000;chunk-signature=" + signatures.get(0) + "\r\n" + "a".repeat(65536) + "\r\n"
                + "400;chunk-signature=" + signatures.get(1) + "\r\n" + "a".repeat(1024) + "\r\n"
                + "0;chunk-signature=" + signatures.get(2) + "\r\n\r\n";
    }

    private static Verified exampleVerified() {
        return verifier(Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC)).verify(exampleRequest());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theDocumentedChunkedUploadVerifiesChunkByChunk() {
        Verified verified = exampleVerified();
        assertThat(verified.mode()).isEqualTo(PayloadMode.STREAMING_SIGNED);
        assertThat(verified.signature()).isEqualTo(SEED);
        assertThat(exampleBody(CHUNK_SIGNATURES)).hasSize(66824);

        assertThat(decode(verified, exampleRequest(), ascii(exampleBody(CHUNK_SIGNATURES)))).isEqualTo(EXAMPLE_DATA);
    }

    @Test
    void aWrongChunkSignatureIsRefusedBeforeTheEnd() {
        for (int i = 0; i < 3; i++) {
            String[] signatures = CHUNK_SIGNATURES.toArray(String[]::new);
            signatures[i] = signatures[i].substring(0, 63) + (signatures[i].endsWith("0") ? "1" : "0");
            assertRefusedBeforeEnd(S3Error.SIGNATURE_DOES_NOT_MATCH, exampleVerified(), exampleRequest(),
                    ascii(exampleBody(List.of(signatures))));
        }
        // Chunks signed in another order: each signature chains the one before it.
        assertRefusedBeforeEnd(S3Error.SIGNATURE_DOES_NOT_MATCH, exampleVerified(), exampleRequest(),
                ascii(exampleBody(List.of(CHUNK_SIGNATURES.get(1), CHUNK_SIGNATURES.get(0), CHUNK_SIGNATURES.get(2)))));
    }

    @Test
    void aChangedByteOfChunkDataIsRefused() {
        byte[] wire = ascii(exampleBody(CHUNK_SIGNATURES));
        for (int at : new int[] {88, 88 + 65535, wire.length - 86 - 3}) {
            byte[] forged = wire.clone();
            forged[at] = 'b';
            assertRefusedBeforeEnd(S3Error.SIGNATURE_DOES_NOT_MATCH, exampleVerified(), exampleRequest(), forged);
        }
    }

    @Test
    void aTruncatedBodyIsIncomplete() {
        byte[] wire = ascii(exampleBody(CHUNK_SIGNATURES));
        for (int length : new int[] {0, 10, 88, 40_000, 65626, 65626 + 30, 66824 - 86, 66824 - 2, 66824 - 1}) {
            assertRefusedBeforeEnd(S3Error.INCOMPLETE_BODY, exampleVerified(), exampleRequest(),
                    Arrays.copyOf(wire, length));
        }
    }

    @Test
    void theDecodedLengthMustBeTheOneDeclared() {
        byte[] wire = ascii(exampleBody(CHUNK_SIGNATURES));
        for (String declared : List.of("66561", "66559", "0")) {
            assertRefusedBeforeEnd(S3Error.INCOMPLETE_BODY, exampleVerified(),
                    withHeader(exampleRequest(), "x-amz-decoded-content-length", declared), wire);
        }
        refused(S3Error.MISSING_CONTENT_LENGTH, () -> Payloads.body(exampleVerified(),
                withHeader(exampleRequest(), "x-amz-decoded-content-length"), new ByteArrayInputStream(wire)));
        refused(S3Error.INVALID_ARGUMENT, () -> Payloads.body(exampleVerified(),
                withHeader(exampleRequest(), "x-amz-decoded-content-length", "-1"), new ByteArrayInputStream(wire)));
    }

    @Test
    void aChunkLargerThanTheDeclaredLengthIsRefusedBeforeItsDataIsRead() {
        byte[] wire = ascii("7fffffff;chunk-signature=" + SEED + "\r\n");
        assertRefusedBeforeEnd(S3Error.INCOMPLETE_BODY, exampleVerified(), exampleRequest(), wire);
    }

    @Test
    void anOversizedOrEndlessChunkHeaderIsRefusedWithoutBufferingIt() {
        assertRefusedBeforeEnd(S3Error.INVALID_REQUEST, exampleVerified(), exampleRequest(),
                ascii("10000;chunk-signature=" + "f".repeat(5000) + "\r\n"));

        CountingEndlessStream endless = new CountingEndlessStream();
        assertThatThrownBy(() -> SigV4Fixtures.readAll(Payloads.body(exampleVerified(), exampleRequest(), endless)))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.error()).isEqualTo(S3Error.INVALID_REQUEST));
        assertThat(endless.read).isLessThan(5000);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "zz;chunk-signature=%s\r\n",
            "-1;chunk-signature=%s\r\n",
            "ffffffffffffffff;chunk-signature=%s\r\n",
            ";chunk-signature=%s\r\n",
            "10000\r\n",
            "10000;chunk-signatur=%s\r\n",
            "10000;chunk-signature=%s\n",
            "10000;chunk-signature=%s\rX",
    })
    void aMalformedChunkHeaderIsAnInvalidRequest(String header) {
        assertRefusedBeforeEnd(S3Error.INVALID_REQUEST, exampleVerified(), exampleRequest(),
                ascii(header.formatted(CHUNK_SIGNATURES.getFirst()) + "a".repeat(65536) + "\r\n"));
    }

    @Test
    void chunkDataMustEndWithCrlfAndNothingMayFollowTheEnd() {
        String body = exampleBody(CHUNK_SIGNATURES);
        assertRefusedBeforeEnd(S3Error.INVALID_REQUEST, exampleVerified(), exampleRequest(),
                ascii(body.replaceFirst("a\r\n400;", "aa\r\n400;")));
        assertRefusedBeforeEnd(S3Error.INVALID_REQUEST, exampleVerified(), exampleRequest(), ascii(body + "extra"));
    }

    // aws-chunked with trailers, as the SDK's signer encodes it.

    private static software.amazon.awssdk.http.auth.spi.signer.SignedRequest sdkChunked(byte[] body, boolean signed,
                                                                                   String checksum) {
        // Over plain HTTP the SDK signs the payload whatever it is told; over HTTPS it leaves it unsigned.
        return sdkSign(request("PUT", "/bucket/key").protocol(signed ? "http" : "https")
                .putHeader("Content-Length", Integer.toString(body.length)).build(), body, NOW, r -> {
            r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, signed)
                    .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true);
            if (checksum != null) {
                r.putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.fromValue(checksum));
            }
        });
    }

    private static byte[] randomBody(int length) {
        byte[] body = new byte[length];
        new Random(length).nextBytes(body);
        return body;
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRC32", "CRC32C", "SHA1", "SHA256"})
    void theSdksSignedTrailerIsVerifiedWithItsChecksum(String algorithm) {
        byte[] body = randomBody(300_000);
        var signed = sdkChunked(body, true, algorithm);
        SignedRequest received = received(signed.request());
        String trailer = "x-amz-checksum-" + algorithm.toLowerCase(Locale.ROOT);
        assertThat(received.header("x-amz-trailer")).contains(trailer);

        Verified verified = verifier(SigV4Fixtures.CLOCK).verify(received);
        assertThat(verified.mode()).isEqualTo(PayloadMode.STREAMING_SIGNED_TRAILER);
        byte[] wire = bytes(signed.payload().orElseThrow());
        Payloads.Body decoded = Payloads.body(verified, received, new ByteArrayInputStream(wire));

        assertThat(SigV4Fixtures.readAll(decoded)).isEqualTo(body);
        assertThat(decoded.checksum()).hasValueSatisfying(c -> {
            assertThat(c.name()).isEqualTo(trailer);
            assertThat(c.base64()).isEqualTo(ChecksumsTest.base64(algorithm.toLowerCase(Locale.ROOT), body));
        });
    }

    @Test
    void theSdksUnsignedTrailerIsVerifiedByItsChecksum() {
        byte[] body = randomBody(150_000);
        var signed = sdkChunked(body, false, "CRC32");
        SignedRequest received = received(signed.request());
        Verified verified = verifier(SigV4Fixtures.CLOCK).verify(received);
        assertThat(verified.mode()).isEqualTo(PayloadMode.STREAMING_UNSIGNED_TRAILER);
        byte[] wire = bytes(signed.payload().orElseThrow());

        assertThat(decode(verified, received, wire)).isEqualTo(body);

        byte[] forgedData = wire.clone();
        forgedData[new String(wire, StandardCharsets.ISO_8859_1).indexOf("\r\n") + 10] ^= 1;
        assertRefusedBeforeEnd(S3Error.BAD_DIGEST, verified, received, forgedData);
        String crc = ChecksumsTest.base64("crc32", body);
        byte[] forgedTrailer = ascii(new String(wire, StandardCharsets.ISO_8859_1).replace(crc,
                ChecksumsTest.base64("crc32", new byte[1])));
        assertRefusedBeforeEnd(S3Error.BAD_DIGEST, verified, received, forgedTrailer);
    }

    @Test
    void aForgedSignedTrailerIsRefused() {
        byte[] body = randomBody(70_000);
        var signed = sdkChunked(body, true, "CRC32");
        SignedRequest received = received(signed.request());
        Verified verified = verifier(SigV4Fixtures.CLOCK).verify(received);
        String wire = new String(bytes(signed.payload().orElseThrow()), StandardCharsets.ISO_8859_1);
        String crc = ChecksumsTest.base64("crc32", body);
        assertThat(wire).contains("x-amz-checksum-crc32:" + crc + "\r\n").contains("x-amz-trailer-signature:");

        String otherCrc = ChecksumsTest.base64("crc32", new byte[1]);
        assertRefusedBeforeEnd(S3Error.SIGNATURE_DOES_NOT_MATCH, verified, received,
                ascii(wire.replace(crc, otherCrc)));
        assertRefusedBeforeEnd(S3Error.SIGNATURE_DOES_NOT_MATCH, verified, received,
                ascii(wire.replaceFirst("x-amz-trailer-signature:[0-9a-f]+\r\n", "")));
        assertRefusedBeforeEnd(S3Error.SIGNATURE_DOES_NOT_MATCH, verified, received,
                ascii(wire.replaceFirst("x-amz-trailer-signature:[0-9a-f]", "x-amz-trailer-signature:g")));
    }

    @Test
    void anEmptyBodyEncodesAsTheFinalChunkAlone() {
        var signed = sdkChunked(new byte[0], true, "CRC32C");
        SignedRequest received = received(signed.request());
        Verified verified = verifier(SigV4Fixtures.CLOCK).verify(received);

        assertThat(decode(verified, received, bytes(signed.payload().orElseThrow()))).isEmpty();
    }

    // Trailers signed here, to reach the checks behind a valid signature.

    private static Verified trailerVerified(PayloadMode mode) {
        return new Verified(AKID, mode, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", SEED,
                SigV4Fixtures.signingKey("20261202", "us-east-1"), "20261202T120000Z",
                "20261202/us-east-1/s3/aws4_request");
    }

    private static SignedRequest trailerRequest(String trailer, int length) {
        return new SignedRequest("PUT", "/bucket/key", null, Map.of("x-amz-trailer", List.of(trailer),
                "x-amz-decoded-content-length", List.of(Integer.toString(length))));
    }

    /** The data as one chunk and the final one, then {@code trailerLines}, signed as a client signs them. */
    private static byte[] encode(Verified verified, byte[] data, List<String> trailerLines) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        String previous = verified.signature();
        for (byte[] chunk : List.of(data, new byte[0])) {
            String signature = hex(hmac(verified.signingKey(), "AWS4-HMAC-SHA256-PAYLOAD\n" + verified.amzDate()
                    + "\n" + verified.scope() + "\n" + previous + "\n" + sha256Hex(new byte[0]) + "\n"
                    + sha256Hex(chunk)));
            boolean signs = verified.mode() != PayloadMode.STREAMING_UNSIGNED_TRAILER;
            wire.writeBytes(ascii(Integer.toHexString(chunk.length) + (signs ? ";chunk-signature=" + signature : "")
                    + "\r\n"));
            wire.writeBytes(chunk);
            if (chunk.length > 0) {
                wire.writeBytes(ascii("\r\n"));
            }
            previous = signature;
        }
        StringBuilder canonical = new StringBuilder();
        trailerLines.forEach(line -> {
            canonical.append(line).append('\n');
            wire.writeBytes(ascii(line + "\r\n"));
        });
        if (verified.mode() == PayloadMode.STREAMING_SIGNED_TRAILER) {
            wire.writeBytes(ascii("x-amz-trailer-signature:" + hex(hmac(verified.signingKey(),
                    "AWS4-HMAC-SHA256-TRAILER\n" + verified.amzDate() + "\n" + verified.scope() + "\n" + previous
                            + "\n" + sha256Hex(canonical.toString().getBytes(StandardCharsets.UTF_8)))) + "\r\n"));
        }
        wire.writeBytes(ascii("\r\n"));
        return wire.toByteArray();
    }

    @Test
    void aSignedTrailerWithTheWrongChecksumIsABadDigest() {
        Verified verified = trailerVerified(PayloadMode.STREAMING_SIGNED_TRAILER);
        byte[] data = "trailer checked".getBytes(StandardCharsets.UTF_8);
        SignedRequest request = trailerRequest("x-amz-checksum-crc32", data.length);
        String good = ChecksumsTest.base64("crc32", data);

        assertThat(decode(verified, request, encode(verified, data, List.of("x-amz-checksum-crc32:" + good))))
                .isEqualTo(data);
        assertRefusedBeforeEnd(S3Error.BAD_DIGEST, verified, request, encode(verified, data,
                List.of("x-amz-checksum-crc32:" + ChecksumsTest.base64("crc32", new byte[3]))));
        assertRefusedBeforeEnd(S3Error.INVALID_REQUEST, verified, request, encode(verified, data,
                List.of("x-amz-checksum-crc32:not-base64")));
        assertRefusedBeforeEnd(S3Error.INVALID_REQUEST, verified, request, encode(verified, data,
                List.of("x-amz-checksum-sha256:" + good)));
        assertRefusedBeforeEnd(S3Error.INVALID_REQUEST, verified, request, encode(verified, data, List.of()));
    }

    @Test
    void anUnsignedTrailerOfUnsignedChunksIsCheckedByItsChecksum() {
        Verified verified = trailerVerified(PayloadMode.STREAMING_UNSIGNED_TRAILER);
        byte[] data = randomBody(10_000);
        SignedRequest request = trailerRequest("x-amz-checksum-sha256", data.length);

        assertThat(decode(verified, request, encode(verified, data, List.of("x-amz-checksum-sha256:"
                + ChecksumsTest.base64("sha256", data))))).isEqualTo(data);
        assertRefusedBeforeEnd(S3Error.BAD_DIGEST, verified, request, encode(verified, data,
                List.of("x-amz-checksum-sha256:" + ChecksumsTest.base64("sha256", new byte[0]))));
    }

    @Test
    void aMalformedOrOversizedTrailerIsRefused() {
        Verified verified = trailerVerified(PayloadMode.STREAMING_UNSIGNED_TRAILER);
        byte[] data = "x".getBytes(StandardCharsets.UTF_8);
        SignedRequest request = trailerRequest("x-amz-checksum-crc32", 1);

        assertRefusedBeforeEnd(S3Error.INVALID_REQUEST, verified, request, encode(verified, data,
                List.of("no colon here")));
        List<String> many = IntStream.range(0, 1000).mapToObj(i -> "x-amz-meta-" + i + ":"
                + "v".repeat(100)).toList();
        assertRefusedBeforeEnd(S3Error.INVALID_REQUEST, verified, request, encode(verified, data, many));
        refused(S3Error.INVALID_ARGUMENT, () -> Payloads.body(verified, trailerRequest("x-amz-checksum-md4", 1),
                new ByteArrayInputStream(new byte[0])));
    }

    /** Reads to the refusal: it must come before the stream reports an end, or the write would commit. */
    private static void assertRefusedBeforeEnd(S3Error error, Verified verified, SignedRequest request, byte[] wire) {
        refused(error, () -> SigV4Fixtures.readAll(Payloads.body(verified, request, new ByteArrayInputStream(wire))));
    }

    /** A body that is one endless line, counting how much of it was read. */
    private static final class CountingEndlessStream extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return '1';
        }
    }
}
