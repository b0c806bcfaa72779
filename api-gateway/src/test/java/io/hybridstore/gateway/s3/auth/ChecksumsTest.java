package io.hybridstore.gateway.s3.auth;

import io.hybridstore.gateway.s3.S3Error;
import io.hybridstore.gateway.s3.S3Exception;
import io.hybridstore.gateway.s3.auth.SigV4Verifier.PayloadMode;
import io.hybridstore.gateway.s3.auth.SigV4Verifier.Verified;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.AKID;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.decode;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.readAll;
import static io.hybridstore.gateway.s3.auth.SigV4Fixtures.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checksums S3 clients send, against published check values, and how a body is held to them. */
class ChecksumsTest {

    private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

    private static String hex(String algorithm, byte[] data, int... splits) {
        Checksums.Running running = Checksums.running(algorithm);
        int from = 0;
        for (int split : splits) {
            running.update(data, from, split - from);
            from = split;
        }
        running.update(data, from, data.length - from);
        return HexFormat.of().formatHex(running.value());
    }

    /** The CRC catalogue's check values (of "123456789") and the FIPS examples (of "abc"). */
    @ParameterizedTest
    @CsvSource({
            "crc32, 123456789, cbf43926",
            "crc32c, 123456789, e3069283",
            "crc64nvme, 123456789, ae8b14860a799888",
            "sha1, abc, a9993e364706816aba3e25717850c26c9cd0d89d",
            "sha256, abc, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "md5, abc, 900150983cd24fb0d6963f7d28e17f72",
            "crc32, '', 00000000",
            "crc64nvme, '', 0000000000000000",
    })
    void knownValues(String algorithm, String text, String expected) {
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        assertThat(hex(algorithm, data)).isEqualTo(expected);
        assertThat(Checksums.length(algorithm)).isEqualTo(expected.length() / 2);
        if (data.length > 2) {
            assertThat(hex(algorithm, data, 1, 2)).as("fed in pieces").isEqualTo(expected);
        }
    }

    @Test
    void crc64NvmeMatchesABitwiseReferenceOnRandomData() {
        byte[] data = new byte[100_003];
        new Random(64).nextBytes(data);
        assertThat(hex("crc64nvme", data, 1, 4096, 50_000)).isEqualTo(HexFormat.of().toHexDigits(crc64Nvme(data)));
    }

    /** CRC-64/NVME one bit at a time: reflected polynomial 0x9A6C9329AC4BC9B5, all ones in and out. */
    private static long crc64Nvme(byte[] data) {
        long crc = -1L;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9A6C9329AC4BC9B5L : crc >>> 1;
            }
        }
        return ~crc;
    }

    /** A checksum the way S3 sends it, computed here with the JDK (and the reference above for CRC64/NVME). */
    static String base64(String algorithm, byte[] data) {
        byte[] value = switch (algorithm) {
            case "crc32" -> {
                CRC32 crc = new CRC32();
                crc.update(data);
                yield ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
            }
            case "crc32c" -> {
                CRC32C crc = new CRC32C();
                crc.update(data);
                yield ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
            }
            case "crc64nvme" -> ByteBuffer.allocate(8).putLong(crc64Nvme(data)).array();
            case "sha1" -> digest("SHA-1", data);
            case "sha256" -> digest("SHA-256", data);
            case "md5" -> digest("MD5", data);
            default -> throw new IllegalArgumentException(algorithm);
        };
        return Base64.getEncoder().encodeToString(value);
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // Checksums sent as headers, with a body of any payload mode.

    private static final Verified UNSIGNED = new Verified(AKID, PayloadMode.UNSIGNED, "UNSIGNED-PAYLOAD",
            "0".repeat(64), new byte[32], "20261202T120000Z", "20261202/us-east-1/s3/aws4_request");

    private static SignedRequest put(Map<String, String> headers) {
        return request("PUT", null, headers);
    }

    private static SignedRequest request(String method, String rawQuery, Map<String, String> headers) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach((name, value) -> multi.put(name, List.of(value)));
        return new SignedRequest(method, "/bucket/key", rawQuery, multi);
    }

    @ParameterizedTest
    @ValueSource(strings = {"crc32", "crc32c", "crc64nvme", "sha1", "sha256"})
    void aChecksumHeaderIsVerifiedAndReported(String algorithm) {
        String name = "x-amz-checksum-" + algorithm;
        SignedRequest request = put(Map.of(name, base64(algorithm, CHECK)));
        Payloads.Body body = Payloads.body(UNSIGNED, request, new ByteArrayInputStream(CHECK));

        assertThat(readAll(body)).isEqualTo(CHECK);
        assertThat(body.checksum()).contains(new Payloads.VerifiedChecksum(name, base64(algorithm, CHECK)));

        refused(S3Error.BAD_DIGEST, () -> decode(UNSIGNED, request, "123456780".getBytes()));
        refused(S3Error.BAD_DIGEST, () -> decode(UNSIGNED, request, new byte[0]));
        refused(S3Error.INVALID_REQUEST, () -> Payloads.body(UNSIGNED, put(Map.of(name, "AAAA")),
                new ByteArrayInputStream(CHECK)));
        refused(S3Error.INVALID_REQUEST, () -> Payloads.body(UNSIGNED, put(Map.of(name, "%%%")),
                new ByteArrayInputStream(CHECK)));
    }

    @Test
    void theBadDigestMessageNamesTheChecksum() {
        SignedRequest request = put(Map.of("x-amz-checksum-crc32", base64("crc32", new byte[1])));
        assertThatThrownBy(() -> decode(UNSIGNED, request, CHECK)).isInstanceOf(S3Exception.class)
                .hasMessage("The x-amz-checksum-crc32 you specified did not match the calculated checksum.");
    }

    @Test
    void contentMd5IsVerified() {
        String md5 = base64("md5", CHECK);
        Payloads.Body body = Payloads.body(UNSIGNED, put(Map.of("content-md5", md5)),
                new ByteArrayInputStream(CHECK));
        assertThat(readAll(body)).isEqualTo(CHECK);
        assertThat(body.checksum()).as("Content-MD5 is no x-amz-checksum to echo").isEmpty();

        refused(S3Error.BAD_DIGEST, () -> decode(UNSIGNED, put(Map.of("content-md5", base64("md5", new byte[0]))),
                CHECK));
        refused(S3Error.INVALID_DIGEST, () -> Payloads.body(UNSIGNED, put(Map.of("content-md5", "not base64!")),
                new ByteArrayInputStream(CHECK)));
        refused(S3Error.INVALID_DIGEST, () -> Payloads.body(UNSIGNED, put(Map.of("content-md5",
                base64("sha1", CHECK))), new ByteArrayInputStream(CHECK)));
    }

    @Test
    void contentMd5AndAChecksumHeaderAreBothVerified() {
        Map<String, String> both = Map.of("content-md5", base64("md5", CHECK), "x-amz-checksum-sha256",
                base64("sha256", CHECK));
        Payloads.Body body = Payloads.body(UNSIGNED, put(both), new ByteArrayInputStream(CHECK));
        assertThat(readAll(body)).isEqualTo(CHECK);
        assertThat(body.checksum()).map(Payloads.VerifiedChecksum::name).contains("x-amz-checksum-sha256");

        refused(S3Error.BAD_DIGEST, () -> decode(UNSIGNED, put(Map.of("content-md5", base64("md5", CHECK),
                "x-amz-checksum-sha256", base64("sha256", new byte[0]))), CHECK));
        refused(S3Error.BAD_DIGEST, () -> decode(UNSIGNED, put(Map.of("content-md5", base64("md5", new byte[0]),
                "x-amz-checksum-sha256", base64("sha256", CHECK))), CHECK));
    }

    @Test
    void onlyOneChecksumMayBeSent() {
        refused(S3Error.INVALID_REQUEST, () -> Payloads.body(UNSIGNED, put(Map.of(
                "x-amz-checksum-crc32", base64("crc32", CHECK), "x-amz-checksum-sha1", base64("sha1", CHECK))),
                new ByteArrayInputStream(CHECK)));
    }

    @Test
    void aTrailerNeedsAChunkedBody() {
        refused(S3Error.INVALID_REQUEST, () -> Payloads.body(UNSIGNED, put(Map.of("x-amz-trailer",
                "x-amz-checksum-crc32")), new ByteArrayInputStream(CHECK)));
    }

    /** CompleteMultipartUpload's checksum headers are the whole object's, not its XML body's. */
    @Test
    void completeMultipartUploadChecksumHeadersAreNotTheBodys() {
        byte[] xml = "<CompleteMultipartUpload/>".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("x-amz-checksum-crc32", base64("crc32", CHECK));

        assertThat(decode(UNSIGNED, request("POST", "uploadId=abc", headers), xml)).isEqualTo(xml);
        refused(S3Error.BAD_DIGEST, () -> decode(UNSIGNED, request("POST", "delete", headers), xml));
        refused(S3Error.BAD_DIGEST, () -> decode(UNSIGNED, request("PUT", "partNumber=1&uploadId=abc", headers), xml));
    }

    // The declared SHA-256 of a body.

    private static Verified sha256(String hex) {
        return new Verified(AKID, PayloadMode.SHA256_HEX, hex, "0".repeat(64), new byte[32], "20261202T120000Z",
                "20261202/us-east-1/s3/aws4_request");
    }

    @Test
    void theDeclaredSha256IsVerified() {
        String hex = HexFormat.of().formatHex(digest("SHA-256", CHECK));
        assertThat(decode(sha256(hex), put(Map.of()), CHECK)).isEqualTo(CHECK);
        assertThat(decode(sha256(hex.toUpperCase(Locale.ROOT)), put(Map.of()), CHECK)).isEqualTo(CHECK);

        refused(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH, () -> decode(sha256(hex), put(Map.of()), "12345678".getBytes()));
        refused(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH, () -> decode(sha256(hex), put(Map.of()), new byte[0]));
    }

    @Test
    void theEmptyBodysHashFitsAnEmptyBody() {
        Verified empty = sha256("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(decode(empty, put(Map.of()), new byte[0])).isEmpty();
        refused(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH, () -> decode(empty, put(Map.of()), new byte[1]));
    }

    @Test
    void anUnsignedBodyPassesThroughByteForByte() throws Exception {
        byte[] data = new byte[70_000];
        new Random(1).nextBytes(data);
        Payloads.Body body = Payloads.body(UNSIGNED, put(Map.of()), new ByteArrayInputStream(data));
        assertThat(body.read()).isEqualTo(data[0] & 0xFF);
        assertThat(body.read(new byte[0], 0, 0)).isZero();
        assertThat(body.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 1, data.length));
        assertThat(body.checksum()).isEmpty();
    }
}
