package io.hybridstore.gateway.s3.auth;

import io.hybridstore.gateway.s3.S3Error;
import io.hybridstore.gateway.s3.S3Exception;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * AWS Signature Version 4, checked on the server: in the Authorization header or in a presigned URL's query. The
 * canonical request is rebuilt from what arrived, the signing key derived from the secret of the access key named in
 * the credential scope (any region), and the signatures compared in constant time. Anonymous requests are refused.
 */
public final class SigV4Verifier {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String UNSIGNED = "UNSIGNED-PAYLOAD";
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final long MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final int MAX_CACHED_KEYS = 256;

    /** How the body of a verified request is bound to its signature. */
    public enum PayloadMode {
        /** x-amz-content-sha256 is the body's hex SHA-256. */
        SHA256_HEX,
        UNSIGNED,
        /** aws-chunked with a signature per chunk: STREAMING-AWS4-HMAC-SHA256-PAYLOAD. */
        STREAMING_SIGNED,
        /** The same, with trailing headers and their signature: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER. */
        STREAMING_SIGNED_TRAILER,
        /** aws-chunked without signatures, with trailing headers: STREAMING-UNSIGNED-PAYLOAD-TRAILER. */
        STREAMING_UNSIGNED_TRAILER
    }

    /**
     * A request whose signature holds, and what its body's decoder needs to check the rest.
     *
     * @param payloadHash the declared hex SHA-256 of the body (SHA256_HEX only)
     * @param scope       {@code date/region/s3/aws4_request}
     */
    public record Verified(String accessKey, PayloadMode mode, String payloadHash, String signature,
                           byte[] signingKey, String amzDate, String scope) {
    }

    private final Function<String, Optional<String>> secrets;
    private final Clock clock;
    private final Map<String, byte[]> signingKeys = new ConcurrentHashMap<>();

    public SigV4Verifier(Function<String, Optional<String>> secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
    }

    public Verified verify(SignedRequest request) {
        Map<String, List<String>> query = rawQuery(request.rawQuery());
        Optional<String> authorization = request.header("authorization");
        if (authorization.isPresent()) {
            return verifyHeader(request, query, authorization.get());
        }
        if (query.containsKey("X-Amz-Signature") || query.containsKey("X-Amz-Algorithm")) {
            return verifyPresigned(request, query);
        }
        throw new S3Exception(S3Error.ACCESS_DENIED, "Anonymous requests are refused: sign them with AWS Signature "
                + "Version 4");
    }

    private Verified verifyHeader(SignedRequest request, Map<String, List<String>> query, String authorization) {
        if (!authorization.startsWith(ALGORITHM + " ")) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "Only AWS Signature Version 4 (" + ALGORITHM
                    + ") is supported");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw malformedHeader("'" + part.strip() + "' is not name=value");
            }
            parts.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        String credential = required(parts, "Credential");
        String signedHeaders = required(parts, "SignedHeaders");
        String signature = required(parts, "Signature");
        String payload = request.header("x-amz-content-sha256").orElseThrow(() -> new S3Exception(
                S3Error.INVALID_REQUEST, "Missing required header for this request: x-amz-content-sha256"));
        String amzDate = request.header("x-amz-date").orElseThrow(() -> new S3Exception(
                S3Error.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header"));
        Instant signedAt = parseDate(amzDate, S3Error.ACCESS_DENIED);
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
            throw new S3Exception(S3Error.REQUEST_TIME_TOO_SKEWED, "The difference between the request time and the "
                    + "server's time is too large");
        }
        Scope scope = scope(credential, amzDate, S3Error.AUTHORIZATION_HEADER_MALFORMED);
        PayloadMode mode = mode(payload);
        String canonical = canonicalRequest(request, query, signedHeaders, payload, null);
        byte[] key = check(scope, amzDate, canonical, signature);
        return new Verified(scope.accessKey(), mode, payload, signature, key, amzDate, scope.text());
    }

    private Verified verifyPresigned(SignedRequest request, Map<String, List<String>> query) {
        String algorithm = presignedParameter(query, "X-Amz-Algorithm");
        if (!algorithm.equals(ALGORITHM)) {
            throw new S3Exception(S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR, "X-Amz-Algorithm only supports '"
                    + ALGORITHM + "'");
        }
        String credential = presignedParameter(query, "X-Amz-Credential");
        String amzDate = presignedParameter(query, "X-Amz-Date");
        String signedHeaders = presignedParameter(query, "X-Amz-SignedHeaders");
        String signature = presignedParameter(query, "X-Amz-Signature");
        String expiresText = presignedParameter(query, "X-Amz-Expires");
        long expires;
        try {
            expires = Long.parseLong(expiresText);
        } catch (NumberFormatException e) {
            expires = -1;
        }
        if (expires < 1 || expires > MAX_PRESIGNED_SECONDS) {
            throw new S3Exception(S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR, "X-Amz-Expires must be between 1 "
                    + "and " + MAX_PRESIGNED_SECONDS + " seconds (7 days)");
        }
        Instant signedAt = parseDate(amzDate, S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        Instant now = clock.instant();
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            throw new S3Exception(S3Error.REQUEST_TIME_TOO_SKEWED, "The request was signed in the future");
        }
        if (now.isAfter(signedAt.plusSeconds(expires))) {
            throw new S3Exception(S3Error.ACCESS_DENIED, "Request has expired");
        }
        Scope scope = scope(credential, amzDate, S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        String payload = request.header("x-amz-content-sha256").orElse(UNSIGNED);
        PayloadMode mode = mode(payload);
        String canonical = canonicalRequest(request, query, signedHeaders, payload, "X-Amz-Signature");
        byte[] key = check(scope, amzDate, canonical, signature);
        return new Verified(scope.accessKey(), mode, payload, signature, key, amzDate, scope.text());
    }

    private record Scope(String accessKey, String date, String region) {
        String text() {
            return date + "/" + region + "/s3/aws4_request";
        }
    }

    private static Scope scope(String credential, String amzDate, S3Error malformed) {
        String[] parts = credential.split("/", -1);
        if (parts.length != 5 || parts[0].isEmpty() || !parts[3].equals("s3") || !parts[4].equals("aws4_request")) {
            throw new S3Exception(malformed, "The credential must be ACCESS-KEY/yyyyMMdd/region/s3/aws4_request");
        }
        if (!amzDate.startsWith(parts[1])) {
            throw new S3Exception(malformed, "The credential's date " + parts[1] + " is not the request's date");
        }
        return new Scope(parts[0], parts[1], parts[2]);
    }

    /** The derived key, once the signature over {@code canonical} is found to be the one sent. */
    private byte[] check(Scope scope, String amzDate, String canonical, String signature) {
        String secret = secrets.apply(scope.accessKey()).orElseThrow(() -> new S3Exception(
                S3Error.INVALID_ACCESS_KEY_ID, "The AWS access key id you provided does not exist in our records"));
        byte[] key = signingKey(secret, scope);
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope.text() + "\n" + sha256Hex(canonical);
        byte[] expected = HexFormat.of().formatHex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "The request signature we calculated does not "
                    + "match the signature you provided. Check your key and signing method.");
        }
        return key;
    }

    private byte[] signingKey(String secret, Scope scope) {
        String cacheKey = sha256Hex(secret) + "/" + scope.date() + "/" + scope.region();
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

    private static String canonicalRequest(SignedRequest request, Map<String, List<String>> query,
                                           String signedHeaders, String payload, String excluded) {
        List<String> names = Arrays.asList(signedHeaders.toLowerCase(Locale.ROOT).split(";"));
        if (!names.contains("host")) {
            throw malformedHeader("the host header must be signed");
        }
        StringBuilder headers = new StringBuilder();
        for (String name : names.stream().sorted().toList()) {
            List<String> values = request.headers().get(name);
            if (values == null) {
                throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "The signed header '" + name
                        + "' is missing from the request");
            }
            headers.append(name).append(':').append(values.stream().map(v -> v.strip().replaceAll(" +", " "))
                    .collect(Collectors.joining(","))).append('\n');
        }
        return request.method() + "\n" + canonicalPath(request.rawPath()) + "\n" + canonicalQuery(query, excluded)
                + "\n" + headers + "\n" + String.join(";", names.stream().sorted().toList()) + "\n" + payload;
    }

    /** Each segment decoded and encoded again the AWS way, so a client's choice of what to escape cannot matter. */
    private static String canonicalPath(String rawPath) {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        return Arrays.stream(path.split("/", -1)).map(s -> uriEncode(percentDecode(s)))
                .collect(Collectors.joining("/"));
    }

    private static String canonicalQuery(Map<String, List<String>> query, String excluded) {
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        query.forEach((name, values) -> {
            if (!name.equals(excluded)) {
                sorted.put(uriEncode(name), values.stream().map(SigV4Verifier::uriEncode).sorted().toList());
            }
        });
        List<String> pairs = new ArrayList<>();
        sorted.forEach((name, values) -> values.forEach(value -> pairs.add(name + "=" + value)));
        return String.join("&", pairs);
    }

    /** The query as parameter name to values, decoded ('+' is a space, as clients mean it). */
    private static Map<String, List<String>> rawQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = percentDecode((eq < 0 ? pair : pair.substring(0, eq)).replace('+', ' '));
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1).replace('+', ' '));
            query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static PayloadMode mode(String payload) {
        return switch (payload) {
            case UNSIGNED -> PayloadMode.UNSIGNED;
            case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" -> PayloadMode.STREAMING_SIGNED;
            case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" -> PayloadMode.STREAMING_SIGNED_TRAILER;
            case "STREAMING-UNSIGNED-PAYLOAD-TRAILER" -> PayloadMode.STREAMING_UNSIGNED_TRAILER;
            default -> {
                if (payload.startsWith("STREAMING-AWS4-ECDSA")) {
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

    private static Instant parseDate(String amzDate, S3Error error) {
        try {
            return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new S3Exception(error, "x-amz-date must be yyyyMMdd'T'HHmmss'Z', not '" + amzDate + "'");
        }
    }

    private static String required(Map<String, String> parts, String name) {
        String value = parts.get(name);
        if (value == null || value.isEmpty()) {
            throw malformedHeader("the Authorization header has no " + name);
        }
        return value;
    }

    private static String presignedParameter(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty() || values.getFirst().isEmpty()) {
            throw new S3Exception(S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR, "Query-string authentication "
                    + "requires the " + name + " parameter");
        }
        return values.getFirst();
    }

    private static S3Exception malformedHeader(String detail) {
        return new S3Exception(S3Error.AUTHORIZATION_HEADER_MALFORMED, "The authorization header is malformed: "
                + detail);
    }

    /** RFC 3986 unreserved characters stay, everything else is %XX of its UTF-8 bytes, as AWS's UriEncode. */
    static String uriEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out.toString();
    }

    /** Lenient percent-decoding: what cannot be decoded stays as it was, and then fails the signature. */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
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
