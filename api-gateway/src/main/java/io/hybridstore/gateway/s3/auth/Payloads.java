package io.hybridstore.gateway.s3.auth;

import io.hybridstore.gateway.s3.S3Error;
import io.hybridstore.gateway.s3.S3Exception;
import io.hybridstore.gateway.s3.auth.SigV4Verifier.PayloadMode;
import io.hybridstore.gateway.s3.auth.SigV4Verifier.Verified;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The body of a verified request, decoded and checked as it is read: its declared SHA-256, the signature of every
 * aws-chunked chunk and of the trailer, and any checksum the client sent (Content-MD5, an x-amz-checksum-* header or
 * trailer). Every check completes before the stream reports its end, and a failure is thrown from {@code read}, so
 * a write that reads its body to the end before committing never commits bytes that did not verify.
 */
public final class Payloads {

    private static final int MAX_LINE = 4096;
    private static final int MAX_TRAILER = 16 * 1024;
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private Payloads() {
    }

    public static InputStream body(Verified verified, SignedRequest request, InputStream raw) {
        Optional<Checksum.Expected> header = Checksum.fromHeaders(request);
        Optional<String> trailer = request.header("x-amz-trailer").map(t -> t.strip().toLowerCase(Locale.ROOT));
        return switch (verified.mode()) {
            case UNSIGNED -> new Checked(raw, null, header);
            case SHA256_HEX -> new Checked(raw, verified.payloadHash().toLowerCase(Locale.ROOT), header);
            case STREAMING_SIGNED, STREAMING_SIGNED_TRAILER, STREAMING_UNSIGNED_TRAILER ->
                    new Checked(new Chunked(raw, verified, trailer), null, header);
        };
    }

    /** A body's bytes with the checks that need all of them: the declared SHA-256, a checksum header. */
    private static final class Checked extends FilterInputStream {

        private final String sha256Hex;
        private final MessageDigest sha256;
        private final Optional<Checksum.Expected> checksum;
        private boolean ended;

        Checked(InputStream in, String sha256Hex, Optional<Checksum.Expected> checksum) {
            super(in);
            this.sha256Hex = sha256Hex;
            this.sha256 = sha256Hex == null ? null : SigV4Verifier.sha256();
            this.checksum = checksum;
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
            int n = in.read(b, off, len);
            if (n < 0) {
                ended = true;
                if (sha256 != null && !HexFormat.of().formatHex(sha256.digest()).equals(sha256Hex)) {
                    throw new S3Exception(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH, "The provided "
                            + "'x-amz-content-sha256' header does not match what was computed.");
                }
                checksum.ifPresent(Checksum.Expected::verify);
                return -1;
            }
            if (sha256 != null) {
                sha256.update(b, off, n);
            }
            checksum.ifPresent(c -> c.update(b, off, n));
            return n;
        }
    }

    /**
     * aws-chunked: {@code hex-size[;chunk-signature=sig]\r\n data \r\n}, up to a chunk of size 0, then trailer
     * lines and a blank line. Chunk data is streamed; a chunk's signature is checked when its last byte has been
     * read, before the next chunk (or the end) is reported.
     */
    private static final class Chunked extends InputStream {

        private final InputStream in;
        private final Verified verified;
        private final Optional<String> trailerName;
        private final boolean signed;
        private final Optional<Checksum.Expected> trailerChecksum;
        private String previousSignature;
        private MessageDigest chunkDigest;
        private String chunkSignature;
        private long left;
        private boolean done;

        Chunked(InputStream in, Verified verified, Optional<String> trailerName) {
            this.in = in;
            this.verified = verified;
            this.trailerName = trailerName;
            this.signed = verified.mode() != PayloadMode.STREAMING_UNSIGNED_TRAILER;
            this.previousSignature = verified.signature();
            this.trailerChecksum = trailerName.map(Checksum::expectedIn);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (left == 0) {
                if (done) {
                    return -1;
                }
                nextChunk();
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw incomplete("the body ended inside a chunk");
            }
            left -= n;
            if (chunkDigest != null) {
                chunkDigest.update(b, off, n);
            }
            trailerChecksum.ifPresent(c -> c.update(b, off, n));
            if (left == 0) {
                verifyChunk();
                if (!line().isEmpty()) {
                    throw incomplete("a chunk is longer than its declared size");
                }
            }
            return n;
        }

        private void nextChunk() throws IOException {
            String header = line();
            int semicolon = header.indexOf(';');
            String size = semicolon < 0 ? header : header.substring(0, semicolon);
            try {
                left = Long.parseLong(size.strip(), 16);
            } catch (NumberFormatException e) {
                throw incomplete("'" + header + "' is not a chunk header");
            }
            if (left < 0) {
                throw incomplete("a chunk cannot have a negative size");
            }
            if (signed) {
                String prefix = "chunk-signature=";
                if (semicolon < 0 || !header.substring(semicolon + 1).startsWith(prefix)) {
                    throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "a chunk has no chunk-signature");
                }
                chunkSignature = header.substring(semicolon + 1 + prefix.length()).strip();
                chunkDigest = SigV4Verifier.sha256();
            }
            if (left == 0) {
                verifyChunk();
                done = true;
                trailer();
            }
        }

        /** The chain of chunk signatures: each signs its data and the signature before it, the seed first. */
        private void verifyChunk() {
            if (!signed) {
                return;
            }
            String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + verified.amzDate() + "\n" + verified.scope() + "\n"
                    + previousSignature + "\n" + EMPTY_SHA256 + "\n" + HexFormat.of().formatHex(chunkDigest.digest());
            requireSignature(stringToSign, chunkSignature);
            previousSignature = chunkSignature;
        }

        private void trailer() throws IOException {
            Map<String, String> trailers = new LinkedHashMap<>();
            int total = 0;
            StringBuilder canonical = new StringBuilder();
            while (true) {
                String line = line();
                total += line.length();
                if (total > MAX_TRAILER) {
                    throw incomplete("the trailer is too large");
                }
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon < 0) {
                    throw incomplete("'" + line + "' is not a trailer header");
                }
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                trailers.put(name, value);
                if (!name.equals("x-amz-trailer-signature")) {
                    canonical.append(name).append(':').append(value).append('\n');
                }
            }
            if (verified.mode() == PayloadMode.STREAMING_SIGNED_TRAILER && !trailers.isEmpty()) {
                String signature = trailers.get("x-amz-trailer-signature");
                if (signature == null) {
                    throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "the trailer has no x-amz-trailer-signature");
                }
                String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + verified.amzDate() + "\n" + verified.scope()
                        + "\n" + previousSignature + "\n" + SigV4Verifier.sha256Hex(canonical.toString());
                requireSignature(stringToSign, signature);
            }
            if (trailerName.isPresent()) {
                String value = trailers.get(trailerName.get());
                if (value == null) {
                    throw incomplete("the trailer " + trailerName.get() + " announced in x-amz-trailer is missing");
                }
                trailerChecksum.ifPresent(c -> c.verifyAgainst(value));
            }
        }

        private void requireSignature(String stringToSign, String sent) {
            byte[] expected = HexFormat.of().formatHex(SigV4Verifier.hmac(verified.signingKey(), stringToSign))
                    .getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, sent.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
                throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "The request signature we calculated does "
                        + "not match the signature you provided (a chunk of the body)");
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
                    if (in.read() != '\n') {
                        throw incomplete("a chunk line does not end in CRLF");
                    }
                    return line.toString(StandardCharsets.UTF_8);
                }
                if (line.size() >= MAX_LINE) {
                    throw incomplete("a chunk line is longer than " + MAX_LINE + " bytes");
                }
                line.write(c);
            }
        }

        private static S3Exception incomplete(String detail) {
            return new S3Exception(S3Error.INCOMPLETE_BODY, "The aws-chunked body is malformed: " + detail);
        }
    }

    /** Checksums a client may send with a body, named as S3 names them; values are base64 of the big-endian bytes. */
    static final class Checksum {

        /** One checksum in progress, with the value the client sent (for a trailer, known only at the end). */
        static final class Expected {
            private final String name;
            private final Checksums.Running running;
            private final String value;

            Expected(String name, Checksums.Running running, String value) {
                this.name = name;
                this.running = running;
                this.value = value;
            }

            void update(byte[] b, int off, int n) {
                running.update(b, off, n);
            }

            void verify() {
                verifyAgainst(value);
            }

            void verifyAgainst(String sent) {
                String actual = Base64.getEncoder().encodeToString(running.value());
                if (!actual.equals(sent.strip())) {
                    throw new S3Exception(S3Error.BAD_DIGEST, "The " + name + " you specified did not match the "
                            + "calculated checksum");
                }
            }
        }

        static Optional<Expected> fromHeaders(SignedRequest request) {
            Optional<String> md5 = request.header("content-md5");
            if (md5.isPresent()) {
                byte[] decoded;
                try {
                    decoded = Base64.getDecoder().decode(md5.get().strip());
                } catch (IllegalArgumentException e) {
                    decoded = new byte[0];
                }
                if (decoded.length != 16) {
                    throw new S3Exception(S3Error.INVALID_DIGEST, "The Content-MD5 you specified is not valid");
                }
                return Optional.of(new Expected("Content-MD5", Checksums.running("md5"), md5.get()));
            }
            for (String algorithm : Checksums.ALGORITHMS) {
                Optional<String> value = request.header("x-amz-checksum-" + algorithm);
                if (value.isPresent()) {
                    return Optional.of(new Expected("x-amz-checksum-" + algorithm, Checksums.running(algorithm),
                            value.get()));
                }
            }
            return Optional.empty();
        }

        static Expected expectedIn(String trailerName) {
            String prefix = "x-amz-checksum-";
            String algorithm = trailerName.startsWith(prefix) ? trailerName.substring(prefix.length()) : "";
            if (!Checksums.ALGORITHMS.contains(algorithm)) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-trailer names no checksum HybridStore knows: '"
                        + trailerName + "'");
            }
            return new Expected(trailerName, Checksums.running(algorithm), null);
        }
    }
}
