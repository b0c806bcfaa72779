package io.hybridstore.gateway.s3.auth;

import io.hybridstore.gateway.s3.S3Error;
import io.hybridstore.gateway.s3.S3Exception;
import io.hybridstore.gateway.s3.auth.SigV4Verifier.PayloadMode;
import io.hybridstore.gateway.s3.auth.SigV4Verifier.Verified;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The body of a verified request, decoded and checked as it is read: its declared SHA-256, the signature of every
 * aws-chunked chunk and of the trailer, its decoded length, and any checksum the client sent (Content-MD5, an
 * x-amz-checksum-* header or trailer). Every check completes before the stream reports its end, and a failure is
 * an {@link S3Exception} thrown from {@code read}, so a write that reads its body to the end before committing never
 * commits bytes that did not verify.
 */
public final class Payloads {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String CHECKSUM_PREFIX = "x-amz-checksum-";

    private Payloads() {
    }

    /**
     * A checksum of the body that held.
     *
     * @param name   the header or trailer that carried it, e.g. {@code x-amz-checksum-crc32}
     * @param base64 its value, base64 of the big-endian checksum
     */
    public record VerifiedChecksum(String name, String base64) {
    }

    /** Refusals of the headers (a missing decoded length, a malformed checksum) are thrown here, before any read. */
    public static Body body(Verified verified, SignedRequest request, InputStream raw) {
        Optional<String> trailer = request.header("x-amz-trailer").map(t -> t.strip().toLowerCase(Locale.ROOT));
        List<Expected> expected = new ArrayList<>();
        request.header("content-md5").ifPresent(md5 -> expected.add(Expected.contentMd5(md5)));
        List<String> headerChecksums = checksumHeaders(request);
        if (headerChecksums.size() + (trailer.isPresent() ? 1 : 0) > 1) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "Expecting a single x-amz-checksum- header");
        }
        headerChecksums.forEach(name -> expected.add(Expected.of(name, request.header(name).orElseThrow())));
        Chunked chunked = null;
        InputStream in = raw;
        if (verified.mode().streaming()) {
            chunked = new Chunked(raw, verified, decodedLength(request));
            in = chunked;
            trailer.ifPresent(name -> expected.add(Expected.of(name, null)));
        } else if (trailer.isPresent()) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "x-amz-trailer needs an aws-chunked body with trailers "
                    + "(x-amz-content-sha256: STREAMING-*-TRAILER)");
        }
        String sha256 = verified.mode() == PayloadMode.SHA256_HEX ? verified.payloadHash().toLowerCase(Locale.ROOT)
                : null;
        return new Body(in, chunked, sha256, expected);
    }

    /**
     * The x-amz-checksum-* headers that describe this body. CompleteMultipartUpload's describe the whole object, not
     * its XML body, so they are left to the handler.
     */
    private static List<String> checksumHeaders(SignedRequest request) {
        boolean complete = request.method().equals("POST") && request.rawQuery() != null
                && Arrays.stream(request.rawQuery().split("&")).anyMatch(p -> p.equals("uploadId")
                || p.startsWith("uploadId="));
        if (complete) {
            return List.of();
        }
        return Checksums.ALGORITHMS.stream().map(a -> CHECKSUM_PREFIX + a)
                .filter(name -> request.headers().containsKey(name)).toList();
    }

    private static long decodedLength(SignedRequest request) {
        String value = request.header("x-amz-decoded-content-length").orElseThrow(() -> new S3Exception(
                S3Error.MISSING_CONTENT_LENGTH, "An aws-chunked body needs the x-amz-decoded-content-length header"));
        try {
            long length = Long.parseLong(value.strip());
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // Refused below, as a negative length is.
        }
        throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-decoded-content-length must be a number of bytes");
    }

    /** The decoded body: the client's bytes, checked against everything it declared once they have all been read. */
    public static final class Body extends InputStream {

        private final InputStream in;
        private final Chunked chunked;
        private final String sha256Hex;
        private final MessageDigest sha256;
        private final List<Expected> expected;
        private VerifiedChecksum verifiedChecksum;
        private boolean ended;

        private Body(InputStream in, Chunked chunked, String sha256Hex, List<Expected> expected) {
            this.in = in;
            this.chunked = chunked;
            this.sha256Hex = sha256Hex;
            this.sha256 = sha256Hex == null ? null : SigV4Verifier.sha256();
            this.expected = expected;
        }

        /**
         * The x-amz-checksum-* (header or trailer) that held, for the answer to echo; known once the stream has
         * reported its end, empty before and when the client sent none.
         */
        public Optional<VerifiedChecksum> checksum() {
            return Optional.ofNullable(verifiedChecksum);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = in.read(b, off, len);
            if (n < 0) {
                end();
                ended = true;
                return -1;
            }
            if (sha256 != null) {
                sha256.update(b, off, n);
            }
            expected.forEach(e -> e.running.update(b, off, n));
            return n;
        }

        private void end() {
            if (sha256 != null && !HexFormat.of().formatHex(sha256.digest()).equals(sha256Hex)) {
                throw new S3Exception(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH, "The provided 'x-amz-content-sha256' "
                        + "header does not match what was computed.");
            }
            for (Expected e : expected) {
                String sent = e.sent != null ? e.sent : chunked.trailers.get(e.name);
                if (sent == null) {
                    throw new S3Exception(S3Error.INVALID_REQUEST, "The trailer " + e.name + " that x-amz-trailer "
                            + "announced is missing");
                }
                e.verify(sent);
                if (e.name.startsWith(CHECKSUM_PREFIX)) {
                    verifiedChecksum = new VerifiedChecksum(e.name, sent.strip());
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** One checksum being computed over the body, and the value the client sent (a trailer's is known at the end). */
    private static final class Expected {
        private final String name;
        private final String algorithm;
        private final Checksums.Running running;
        private final String sent;

        private Expected(String name, String algorithm, String sent) {
            this.name = name;
            this.algorithm = algorithm;
            this.running = Checksums.running(algorithm);
            this.sent = sent;
            if (sent != null) {
                decode(sent);
            }
        }

        static Expected contentMd5(String sent) {
            return new Expected("Content-MD5", "md5", sent);
        }

        static Expected of(String name, String sent) {
            String algorithm = name.startsWith(CHECKSUM_PREFIX) ? name.substring(CHECKSUM_PREFIX.length()) : "";
            if (!Checksums.ALGORITHMS.contains(algorithm)) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-trailer names no checksum HybridStore knows: '"
                        + name + "'");
            }
            return new Expected(name, algorithm, sent);
        }

        /** The checksum's bytes; a value that is not base64 of the algorithm's length is refused as S3 does. */
        private byte[] decode(String value) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(value.strip());
            } catch (IllegalArgumentException e) {
                bytes = new byte[0];
            }
            if (bytes.length != Checksums.length(algorithm)) {
                throw algorithm.equals("md5")
                        ? new S3Exception(S3Error.INVALID_DIGEST, "The Content-MD5 you specified was invalid.")
                        : new S3Exception(S3Error.INVALID_REQUEST, "Value for " + name + " header is invalid.");
            }
            return bytes;
        }

        void verify(String value) {
            if (!MessageDigest.isEqual(decode(value), running.value())) {
                throw algorithm.equals("md5")
                        ? new S3Exception(S3Error.BAD_DIGEST, "The Content-MD5 you specified did not match what we "
                        + "received.")
                        : new S3Exception(S3Error.BAD_DIGEST, "The " + name + " you specified did not match the "
                        + "calculated checksum.");
            }
        }
    }

    /**
     * aws-chunked: {@code hex-size[;chunk-signature=sig]\r\n data \r\n}, up to a chunk of size 0, then trailer
     * lines and a blank line. Chunk data is streamed, never buffered; a chunk's signature is checked when its last
     * byte has been read, before that read returns, so no chunk after a forged one is handed out.
     */
    private static final class Chunked extends InputStream {

        private static final int MAX_LINE = 4096;
        private static final int MAX_TRAILER = 16 * 1024;

        private final InputStream in;
        private final Verified verified;
        private final boolean signed;
        private final long declaredLength;
        private final Map<String, String> trailers = new LinkedHashMap<>();
        private String previousSignature;
        private String chunkSignature;
        private MessageDigest chunkDigest;
        private long decoded;
        private long left;
        private boolean ended;

        Chunked(InputStream in, Verified verified, long declaredLength) {
            this.in = in;
            this.verified = verified;
            this.signed = verified.mode() != PayloadMode.STREAMING_UNSIGNED_TRAILER;
            this.declaredLength = declaredLength;
            this.previousSignature = verified.signature();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (left == 0) {
                if (ended) {
                    return -1;
                }
                nextChunk();
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw incomplete("the body ended inside a chunk");
            }
            left -= n;
            if (signed) {
                chunkDigest.update(b, off, n);
            }
            if (left == 0) {
                if (!line().isEmpty()) {
                    throw malformed("a chunk is longer than its declared size");
                }
                verifyChunk();
            }
            return n;
        }

        private void nextChunk() throws IOException {
            String header = line();
            int semicolon = header.indexOf(';');
            String size = semicolon < 0 ? header : header.substring(0, semicolon);
            if (!size.matches("[0-9a-fA-F]{1,15}")) {
                throw malformed("'" + header + "' is not a chunk header");
            }
            left = Long.parseLong(size, 16);
            if (left > declaredLength - decoded) {
                throw incomplete("the chunks hold more than x-amz-decoded-content-length (" + declaredLength
                        + ") bytes");
            }
            decoded += left;
            if (signed) {
                String extension = semicolon < 0 ? "" : header.substring(semicolon + 1);
                if (!extension.startsWith("chunk-signature=")) {
                    throw malformed("a chunk has no chunk-signature");
                }
                chunkSignature = extension.substring("chunk-signature=".length());
                chunkDigest = SigV4Verifier.sha256();
            }
            if (left == 0) {
                verifyChunk();
                if (decoded != declaredLength) {
                    throw incomplete("the chunks hold " + decoded + " bytes, x-amz-decoded-content-length says "
                            + declaredLength);
                }
                trailer();
                if (in.read() >= 0) {
                    throw malformed("bytes follow the final chunk");
                }
                ended = true;
            }
        }

        /** The chain of chunk signatures: each signs its data and the signature before it, the seed first. */
        private void verifyChunk() {
            if (!signed) {
                return;
            }
            String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + verified.amzDate() + "\n" + verified.scope() + "\n"
                    + previousSignature + "\n" + EMPTY_SHA256 + "\n" + HexFormat.of().formatHex(chunkDigest.digest());
            SigV4Verifier.requireSignature(verified.signingKey(), stringToSign, chunkSignature,
                    "(a chunk of the body)");
            previousSignature = chunkSignature;
        }

        /** Trailing headers up to a blank line; in the signed-trailer mode signed, chained to the last chunk. */
        private void trailer() throws IOException {
            StringBuilder canonical = new StringBuilder();
            String signature = null;
            int total = 0;
            for (String line = line(); !line.isEmpty(); line = line()) {
                total += line.length();
                if (total > MAX_TRAILER) {
                    throw malformed("the trailer is larger than " + MAX_TRAILER + " bytes");
                }
                int colon = line.indexOf(':');
                if (colon < 0) {
                    throw malformed("'" + line + "' is not a trailer header");
                }
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                if (name.equals("x-amz-trailer-signature")) {
                    signature = value;
                } else {
                    trailers.put(name, value);
                    canonical.append(name).append(':').append(value).append('\n');
                }
            }
            if (verified.mode() == PayloadMode.STREAMING_SIGNED_TRAILER && (signature != null || !trailers.isEmpty())) {
                if (signature == null) {
                    throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "The trailer has no "
                            + "x-amz-trailer-signature");
                }
                String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + verified.amzDate() + "\n" + verified.scope()
                        + "\n" + previousSignature + "\n" + SigV4Verifier.sha256Hex(canonical.toString());
                SigV4Verifier.requireSignature(verified.signingKey(), stringToSign, signature, "(the trailer)");
            }
        }

        /** One CRLF-terminated line, bounded: a client cannot make the gateway buffer an endless header. */
        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw incomplete("the body ended inside the chunk framing");
                }
                if (c == '\r') {
                    int lf = in.read();
                    if (lf < 0) {
                        throw incomplete("the body ended inside the chunk framing");
                    }
                    if (lf != '\n') {
                        throw malformed("a chunk line does not end in CRLF");
                    }
                    return line.toString(StandardCharsets.UTF_8);
                }
                if (line.size() >= MAX_LINE) {
                    throw malformed("a chunk line is longer than " + MAX_LINE + " bytes");
                }
                line.write(c);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        private static S3Exception incomplete(String detail) {
            return new S3Exception(S3Error.INCOMPLETE_BODY, "The aws-chunked body is incomplete: " + detail);
        }

        private static S3Exception malformed(String detail) {
            return new S3Exception(S3Error.INVALID_REQUEST, "The aws-chunked body is malformed: " + detail);
        }
    }
}
