package io.hybridstore.gateway.s3.auth;

import io.hybridstore.gateway.s3.S3Error;
import io.hybridstore.gateway.s3.S3Exception;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * AWS Signature Version 4, checked on the server: in the Authorization header or in a presigned URL's query. The
 * canonical request is rebuilt from what arrived, the signing key derived from the secret of the access key named in
 * the credential scope (any region), and the signatures compared in constant time. Anonymous requests are refused.
 */
public final class SigV4Verifier {

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String UNSIGNED = "UNSIGNED-PAYLOAD";
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final long MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final int MAX_CACHED_KEYS = 256;

    /** How the body of a verified request is bound to its signature (its x-amz-content-sha256). */
    public enum PayloadMode {
        /** x-amz-content-sha256 is the body's hex SHA-256. */
        SHA256_HEX,
        /** UNSIGNED-PAYLOAD, and the default of a presigned URL. */
        UNSIGNED,
        /** aws-chunked with a signature per chunk: STREAMING-AWS4-HMAC-SHA256-PAYLOAD. */
        STREAMING_SIGNED,
        /** The same, with trailing headers and their signature: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER. */
        STREAMING_SIGNED_TRAILER,
        /** aws-chunked without signatures, with trailing headers: STREAMING-UNSIGNED-PAYLOAD-TRAILER. */
        STREAMING_UNSIGNED_TRAILER;

        boolean streaming() {
            return this != SHA256_HEX && this != UNSIGNED;
        }
    }

    /**
     * A request whose signature holds, and what its body's decoder needs to check the rest.
     *
     * @param payloadHash the x-amz-content-sha256 value: for SHA256_HEX the body's expected hex SHA-256
     * @param signature   the request's signature, the seed of an aws-chunked body's chain of chunk signatures
     * @param amzDate     {@code yyyyMMdd'T'HHmmss'Z'}
     * @param scope       {@code date/region/s3/aws4_request}
     */
    public record Verified(String accessKey, PayloadMode mode, String payloadHash, String signature,
                           byte[] signingKey, String amzDate, String scope) {

        /** Without the signature and the key: a Verified may end up in a log. */
        @Override
        public String toString() {
            return "Verified[accessKey=" + accessKey + ", mode=" + mode + ", amzDate=" + amzDate + ", scope=" + scope
                    + "]";
        }
    }

    private final Function<String, Optional<String>> secrets;
    private final Clock clock;
    private final Map<CachedKey, byte[]> signingKeys = new ConcurrentHashMap<>();

    /** @param secrets the secret key of an access key id, empty for an unknown one */
    public SigV4Verifier(Function<String, Optional<String>> secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
    }

    public Verified verify(SignedRequest request) {
        List<Parameter> query = Parameter.parse(request.rawQuery());
        Optional<String> authorization = request.header("authorization");
        boolean presigned = query.stream().anyMatch(p -> p.name().equals("X-Amz-Algorithm")
                || p.name().equals("X-Amz-Signature"));
        if (authorization.isPresent() && presigned) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "Only one auth mechanism allowed; only the "
                    + "X-Amz-Algorithm query parameter or the Authorization header should be specified");
        }
        if (authorization.isPresent()) {
            return verify(request, query, headerClaim(request, authorization.get()));
        }
        if (presigned) {
            return verify(request, query, presignedClaim(request, query));
        }
        if (query.stream().anyMatch(p -> p.name().equals("AWSAccessKeyId"))) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "Only AWS Signature Version 4 (" + ALGORITHM
                    + ") is supported");
        }
        throw new S3Exception(S3Error.ACCESS_DENIED, "Anonymous requests are refused: sign them with AWS Signature "
                + "Version 4");
    }

    /**
     * What a request says it signed, from its Authorization header or its presigned query.
     *
     * @param malformed the error of a claim that cannot be read: the header's, or the query's
     * @param excluded  the query parameter the canonical query leaves out (the presigned signature itself)
     */
    private record Claim(String credential, String signedHeaders, String signature, String amzDate, String payload,
                         S3Error malformed, String excluded) {
    }

    private Claim headerClaim(SignedRequest request, String authorization) {
        if (authorization.startsWith("AWS4-ECDSA-P256-SHA256")) {
            throw new S3Exception(S3Error.NOT_IMPLEMENTED, "SigV4a (ECDSA) signatures are not supported");
        }
        if (!authorization.startsWith(ALGORITHM + " ")) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "Only AWS Signature Version 4 (" + ALGORITHM
                    + ") is supported");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw malformed(S3Error.AUTHORIZATION_HEADER_MALFORMED, "'" + part.strip() + "' is not name=value");
            }
            parts.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        String credential = headerPart(parts, "Credential");
        String signedHeaders = headerPart(parts, "SignedHeaders");
        String signature = headerPart(parts, "Signature");
        String payload = request.header("x-amz-content-sha256").orElseThrow(() -> new S3Exception(
                S3Error.INVALID_REQUEST, "Missing required header for this request: x-amz-content-sha256"));
        String amzDate = request.header("x-amz-date").or(() -> request.header("date").map(SigV4Verifier::httpDate))
                .orElseThrow(() -> new S3Exception(S3Error.ACCESS_DENIED,
                        "AWS authentication requires a valid Date or x-amz-date header"));
        Instant signedAt = parseDate(amzDate, S3Error.ACCESS_DENIED);
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
            throw new S3Exception(S3Error.REQUEST_TIME_TOO_SKEWED, "The difference between the request time and the "
                    + "server's time is too large");
        }
        return new Claim(credential, signedHeaders, signature, amzDate, payload,
                S3Error.AUTHORIZATION_HEADER_MALFORMED, null);
    }

    private Claim presignedClaim(SignedRequest request, List<Parameter> query) {
        if (!queryPart(query, "X-Amz-Algorithm").equals(ALGORITHM)) {
            throw malformed(S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR, "X-Amz-Algorithm only supports '"
                    + ALGORITHM + "'");
        }
        String amzDate = queryPart(query, "X-Amz-Date");
        long expires;
        try {
            expires = Long.parseLong(queryPart(query, "X-Amz-Expires"));
        } catch (NumberFormatException e) {
            expires = -1;
        }
        if (expires < 1 || expires > MAX_PRESIGNED_SECONDS) {
            throw malformed(S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR, "X-Amz-Expires must be between 1 and "
                    + MAX_PRESIGNED_SECONDS + " seconds (7 days)");
        }
        Instant signedAt = parseDate(amzDate, S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        Instant now = clock.instant();
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            throw new S3Exception(S3Error.REQUEST_TIME_TOO_SKEWED, "The request was signed in the future");
        }
        if (now.isAfter(signedAt.plusSeconds(expires))) {
            throw new S3Exception(S3Error.ACCESS_DENIED, "Request has expired");
        }
        // A presigned URL leaves its body unsigned unless the client signs a hash after all, in a header or in the
        // query (some presigners put X-Amz-Content-Sha256 there).
        String payload = request.header("x-amz-content-sha256")
                .or(() -> query.stream().filter(p -> p.name().equals("X-Amz-Content-Sha256")).map(Parameter::value)
                        .findFirst())
                .orElse(UNSIGNED);
        return new Claim(queryPart(query, "X-Amz-Credential"), queryPart(query, "X-Amz-SignedHeaders"),
                queryPart(query, "X-Amz-Signature"), amzDate, payload, S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                "X-Amz-Signature");
    }

    private Verified verify(SignedRequest request, List<Parameter> query, Claim claim) {
        KeyScope scope = scope(claim);
        PayloadMode mode = mode(claim.payload());
        List<String> signedHeaders = signedHeaders(claim);
        String canonical = request.method() + "\n"
                + canonicalPath(request.rawPath()) + "\n"
                + canonicalQuery(query, claim.excluded()) + "\n"
                + canonicalHeaders(request, signedHeaders) + "\n"
                + String.join(";", signedHeaders) + "\n"
                + claim.payload();
        String secret = secrets.apply(scope.accessKey()).orElseThrow(() -> new S3Exception(
                S3Error.INVALID_ACCESS_KEY_ID, "The AWS access key id you provided does not exist in our records"));
        byte[] key = signingKey(secret, scope);
        String stringToSign = ALGORITHM + "\n" + claim.amzDate() + "\n" + scope.text() + "\n" + sha256Hex(canonical);
        requireSignature(key, stringToSign, claim.signature(), "Check your key and signing method.");
        requireSignedAmzHeaders(request, signedHeaders);
        return new Verified(scope.accessKey(), mode, claim.payload(), claim.signature(), key, claim.amzDate(),
                scope.text());
    }

    /** The credential scope, {@code AKID/yyyyMMdd/region/s3/aws4_request}; its date must be the request's. */
    private record KeyScope(String accessKey, String date, String region) {
        String text() {
            return date + "/" + region + "/s3/aws4_request";
        }
    }

    private static KeyScope scope(Claim claim) {
        String[] parts = claim.credential().split("/", -1);
        if (parts.length != 5 || parts[0].isEmpty() || parts[2].isEmpty() || !parts[3].equals("s3")
                || !parts[4].equals("aws4_request")) {
            throw malformed(claim.malformed(), "the credential must be ACCESS-KEY/yyyyMMdd/region/s3/aws4_request");
        }
        if (!parts[1].equals(claim.amzDate().substring(0, 8))) {
            throw malformed(claim.malformed(), "the credential's date '" + parts[1] + "' is not the request's date");
        }
        return new KeyScope(parts[0], parts[1], parts[2]);
    }

    /** Sorted and lower-case, as AWS signs them; host is required, since it is what binds a URL to its server. */
    private static List<String> signedHeaders(Claim claim) {
        List<String> names = Arrays.stream(claim.signedHeaders().toLowerCase(Locale.ROOT).split(";", -1))
                .map(String::strip).sorted().distinct().toList();
        if (names.contains("")) {
            throw malformed(claim.malformed(), "the signed headers '" + claim.signedHeaders() + "' contain an empty "
                    + "name");
        }
        if (!names.contains("host")) {
            throw malformed(claim.malformed(), "the host header must be signed");
        }
        return names;
    }

    /**
     * Every {@code x-amz-*} header must be signed, as AWS requires: such headers change what a request does (its
     * metadata, storage class, copy source, checksum), so one added to a signed request on its way would change it
     * without the signer's consent.
     */
    private static void requireSignedAmzHeaders(SignedRequest request, List<String> signedHeaders) {
        List<String> unsigned = request.headers().keySet().stream()
                .filter(name -> name.startsWith("x-amz-") && !signedHeaders.contains(name)).sorted().toList();
        if (!unsigned.isEmpty()) {
            throw new S3Exception(S3Error.ACCESS_DENIED, "There were headers present in the request which were not "
                    + "signed: " + String.join(", ", unsigned));
        }
    }

    /** Each signed header as {@code name:values}, the values trimmed, inner spaces collapsed, joined with ','. */
    private static String canonicalHeaders(SignedRequest request, List<String> names) {
        StringBuilder headers = new StringBuilder();
        for (String name : names) {
            List<String> values = request.headers().get(name);
            if (values == null) {
                throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "The signed header '" + name
                        + "' is missing from the request");
            }
            headers.append(name).append(':').append(values.stream().map(v -> v.strip().replaceAll(" +", " "))
                    .collect(Collectors.joining(","))).append('\n');
        }
        return headers.toString();
    }

    /**
     * S3 signs the path with each segment URI-encoded once, not normalised. Clients differ in what they leave
     * unescaped ('~', '$', a raw non-ASCII character), so each segment is decoded and encoded again the AWS way;
     * working on bytes keeps an escape that is not UTF-8 exactly as the client signed it.
     */
    static String canonicalPath(String rawPath) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        return Arrays.stream(path.split("/", -1)).map(s -> uriEncode(percentDecode(s, false)))
                .collect(Collectors.joining("/"));
    }

    /** Parameters sorted by encoded name, then value; a parameter without a value signs as {@code name=}. */
    private static String canonicalQuery(List<Parameter> query, String excluded) {
        return query.stream().filter(p -> !p.name().equals(excluded))
                .map(p -> new String[] {uriEncode(p.rawName()), uriEncode(p.rawValue())})
                .sorted(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]))
                .map(p -> p[0] + "=" + p[1])
                .collect(Collectors.joining("&"));
    }

    /**
     * One query parameter, decoded: {@code name} and {@code value} as text, {@code rawName} and {@code rawValue}
     * as bytes for the canonical query. A '+' is a space, as clients that send one mean it.
     */
    private record Parameter(String name, String value, byte[] rawName, byte[] rawValue) {

        static List<Parameter> parse(String rawQuery) {
            List<Parameter> parameters = new ArrayList<>();
            if (rawQuery == null) {
                return parameters;
            }
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                byte[] name = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
                byte[] value = percentDecode(eq < 0 ? "" : pair.substring(eq + 1), true);
                parameters.add(new Parameter(new String(name, StandardCharsets.UTF_8),
                        new String(value, StandardCharsets.UTF_8), name, value));
            }
            return parameters;
        }
    }

    private static PayloadMode mode(String payload) {
        return switch (payload) {
            case UNSIGNED -> PayloadMode.UNSIGNED;
            case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" -> PayloadMode.STREAMING_SIGNED;
            case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" -> PayloadMode.STREAMING_SIGNED_TRAILER;
            case "STREAMING-UNSIGNED-PAYLOAD-TRAILER" -> PayloadMode.STREAMING_UNSIGNED_TRAILER;
            default -> {
                if (payload.startsWith("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")) {
                    throw new S3Exception(S3Error.NOT_IMPLEMENTED, "SigV4a (ECDSA) signatures are not supported");
                }
                if (!payload.matches("[0-9a-fA-F]{64}")) {
                    throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-content-sha256 must be the payload's hex "
                            + "SHA-256, UNSIGNED-PAYLOAD or a STREAMING-* mode");
                }
                yield PayloadMode.SHA256_HEX;
            }
        };
    }

    /** Keyed by the secret too: a rotated secret must not keep verifying with the key derived from the old one. */
    private record CachedKey(String secret, String date, String region) {
    }

    private byte[] signingKey(String secret, KeyScope scope) {
        CachedKey cacheKey = new CachedKey(secret, scope.date(), scope.region());
        byte[] cached = signingKeys.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope.date());
        key = hmac(key, scope.region());
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        if (signingKeys.size() >= MAX_CACHED_KEYS) {
            signingKeys.clear();
        }
        signingKeys.put(cacheKey, key);
        return key;
    }

    /** Constant time, so that how much of a forged signature is right cannot be timed. */
    static void requireSignature(byte[] key, String stringToSign, String sent, String hint) {
        byte[] expected = HexFormat.of().formatHex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, sent.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "The request signature we calculated does not "
                    + "match the signature you provided. " + hint);
        }
    }

    private static Instant parseDate(String amzDate, S3Error error) {
        try {
            return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new S3Exception(error, "x-amz-date must be yyyyMMdd'T'HHmmss'Z', not '" + amzDate + "'");
        }
    }

    /** A Date header (RFC 1123) in the form the string to sign takes. */
    private static String httpDate(String date) {
        try {
            return ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .withZoneSameInstant(ZoneOffset.UTC).format(AMZ_DATE);
        } catch (DateTimeParseException e) {
            throw new S3Exception(S3Error.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date "
                    + "header");
        }
    }

    private static String headerPart(Map<String, String> parts, String name) {
        String value = parts.get(name);
        if (value == null || value.isEmpty()) {
            throw malformed(S3Error.AUTHORIZATION_HEADER_MALFORMED, "the Authorization header has no " + name);
        }
        return value;
    }

    private static String queryPart(List<Parameter> query, String name) {
        return query.stream().filter(p -> p.name().equals(name)).map(Parameter::value).filter(v -> !v.isEmpty())
                .findFirst().orElseThrow(() -> malformed(S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                        "query-string authentication requires the " + name + " parameter"));
    }

    private static S3Exception malformed(S3Error error, String detail) {
        String what = error == S3Error.AUTHORIZATION_HEADER_MALFORMED ? "The authorization header is malformed: "
                : "The presigned URL's authorization parameters are malformed: ";
        return new S3Exception(error, what + detail);
    }

    /** RFC 3986 unreserved characters stay, every other byte is %XX (upper case), as AWS's UriEncode. */
    private static String uriEncode(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            char c = (char) (b & 0xFF);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    /**
     * The bytes a piece of the request line stands for, its escapes decoded; an escape that is not one stays as
     * it was. Tomcat hands unescaped bytes over as ISO-8859-1 characters, others as the Unicode they mean: the
     * characters are taken as bytes when they are all one byte wide and those bytes read as UTF-8, else encoded as
     * UTF-8.
     */
    private static byte[] percentDecode(String s, boolean plusIsSpace) {
        byte[] wire = wireBytes(plusIsSpace ? s.replace('+', ' ') : s);
        if (s.indexOf('%') < 0) {
            return wire;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(wire.length);
        for (int i = 0; i < wire.length; i++) {
            int high = i + 2 < wire.length && wire[i] == '%' ? Character.digit(wire[i + 1], 16) : -1;
            int low = high < 0 ? -1 : Character.digit(wire[i + 2], 16);
            if (low >= 0) {
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.write(wire[i]);
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] wireBytes(String s) {
        if (s.chars().allMatch(c -> c < 0x80)) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
        if (s.chars().allMatch(c -> c <= 0xFF)) {
            byte[] latin1 = s.getBytes(StandardCharsets.ISO_8859_1);
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(latin1));
                return latin1;
            } catch (CharacterCodingException e) {
                // Characters of their own, not bytes: encoded below.
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    static String sha256Hex(String data) {
        return HexFormat.of().formatHex(sha256().digest(data.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
