package io.hybridstore.gateway.s3;

import jakarta.servlet.http.HttpServletRequest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One S3 request, addressed: the bucket and key (from the path, or the bucket from the Host header in
 * virtual-host style), the query parameters decoded, the headers by lower-case name.
 *
 * @param bucket empty for the service itself (ListBuckets)
 * @param key    empty for a bucket operation
 */
record S3Request(String method, String rawPath, String rawQuery, Map<String, String> query,
                 Map<String, List<String>> headers, String bucket, String key) {

    static S3Request of(HttpServletRequest http, String domain) {
        String rawPath = http.getRequestURI();
        String rawQuery = http.getQueryString();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(http.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), Collections.list(http.getHeaders(name)));
        }
        String path = decode(rawPath);
        String host = Optional.ofNullable(http.getHeader("Host")).orElse("").toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        String hostName = colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host;
        String suffix = "." + domain.toLowerCase(Locale.ROOT);
        String bucket;
        String key;
        if (!domain.isEmpty() && hostName.endsWith(suffix) && hostName.length() > suffix.length()) {
            bucket = hostName.substring(0, hostName.length() - suffix.length());
            key = path.startsWith("/") ? path.substring(1) : path;
        } else {
            String rest = path.startsWith("/") ? path.substring(1) : path;
            int slash = rest.indexOf('/');
            bucket = slash < 0 ? rest : rest.substring(0, slash);
            key = slash < 0 ? "" : rest.substring(slash + 1);
        }
        return new S3Request(http.getMethod(), rawPath, rawQuery, query(rawQuery), headers, bucket, key);
    }

    Optional<String> header(String lowerName) {
        List<String> values = headers.get(lowerName);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    boolean has(String parameter) {
        return query.containsKey(parameter);
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** A non-negative integer parameter, or {@code fallback} when absent; anything else is InvalidArgument. */
    int intParameter(String name, int fallback) {
        Optional<String> value = parameter(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, name + " must be a non-negative integer, not '"
                    + value.get() + "'");
        }
    }

    /** The resource an error names: the path as the client addressed it. */
    String resource() {
        return bucket.isEmpty() ? "/" : "/" + bucket + (key.isEmpty() ? "" : "/" + key);
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decodeForm(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decodeForm(pair.substring(equals + 1));
            query.putIfAbsent(name, value);
        }
        return query;
    }

    private static String decodeForm(String s) {
        return decode(s.replace('+', ' '));
    }

    /** Strict percent-decoding into UTF-8: a malformed escape or byte sequence is the client's error, not ours. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "malformed percent-encoding in the request URL");
            }
            bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "the request URL is not percent-encoded UTF-8");
        }
    }
}
