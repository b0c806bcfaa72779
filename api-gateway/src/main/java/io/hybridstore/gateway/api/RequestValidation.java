package io.hybridstore.gateway.api;

import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.gateway.read.FieldList;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks of DESIGN.md's public API that come before any work: key, parameters, content type and size. */
final class RequestValidation {

    static final int MAX_KEY_BYTES = 1024;
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Set<String> WRITE_PARAMETERS = Set.of("key", "strategy", "hot_only", "merge");

    private RequestValidation() {
    }

    /**
     * A key is 1–1024 bytes of UTF-8 without control characters and without {@code .} or {@code ..} path segments;
     * it never becomes a file name. Dot segments are refused because a key is read back as the rest of a URL path
     * ({@code /read/a/b}), and every HTTP layer (nginx, Tomcat, clients) resolves dot segments, percent-encoded or
     * not: a key like {@code ../../etc/passwd} could be written but never read or deleted again.
     */
    static String key(String key) {
        if (key == null || key.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "missing_key", "a non-empty key is required");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_key",
                        "the key has a '" + segment + "' path segment, which a URL path cannot carry");
            }
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_key",
                        "the key contains the control character U+%04X at position %d".formatted((int) c, i));
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < key.length()
                    && Character.isLowSurrogate(key.charAt(++i)))) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_key", "the key is not valid UTF-8");
            }
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_key",
                    "the key is " + bytes + " bytes of UTF-8; at most " + MAX_KEY_BYTES + " are allowed");
        }
        return key;
    }

    /**
     * The id nginx gives every client request ({@code $request_id}, 32 hex digits), the same on each gateway it
     * tries. A client talking to a gateway directly may send its own: 1–64 letters, digits, '-', '_' or '.'.
     */
    static Set<String> fields(String list) {
        try {
            return FieldList.parse(list);
        } catch (IllegalArgumentException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_fields", e.getMessage());
        }
    }

    static Optional<String> requestId(String header) {
        if (header == null) {
            return Optional.empty();
        }
        if (!REQUEST_ID.matcher(header).matches()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_id",
                    REQUEST_ID_HEADER + " must be 1-64 letters, digits, '-', '_' or '.'");
        }
        return Optional.of(header);
    }

    static void onlyKnownParameters(Map<String, List<String>> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (!WRITE_PARAMETERS.contains(parameter.getKey())) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "unknown_parameter",
                        "unknown query parameter '" + parameter.getKey() + "'; known: key, strategy, hot_only, merge");
            }
            if (parameter.getValue().size() > 1) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "duplicate_parameter",
                        "query parameter '" + parameter.getKey() + "' given more than once");
            }
        }
    }

    static Strategy strategy(String name) {
        if (name == null) {
            return Strategy.REPLICATION;
        }
        return Strategy.fromWireName(name).orElseThrow(() -> new ApiException(HttpStatus.UNPROCESSABLE_CONTENT,
                "unknown_strategy", "unknown strategy '" + name + "'; use replication, ec or field_hybrid"));
    }

    /**
     * A boolean query parameter: {@code true} or {@code false} in any case (Python clients send {@code True}),
     * absent meaning false; anything else is 400 rather than a guess.
     */
    static boolean flag(String name, String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (!value.equalsIgnoreCase("true")) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_parameter", name + " must be true or false");
        }
        return true;
    }

    static boolean hotOnly(String value, Strategy strategy) {
        if (!flag("hot_only", value)) {
            return false;
        }
        if (strategy != Strategy.FIELD_HYBRID) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_parameter",
                    "hot_only=true only applies to strategy field_hybrid");
        }
        return true;
    }

    static boolean merge(String value, boolean hotOnly) {
        if (!flag("merge", value)) {
            return false;
        }
        if (hotOnly) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_parameter",
                    "merge=true and hot_only=true cannot be combined; a merge already keeps the fields it is not given");
        }
        return true;
    }

    /** The body must be declared as JSON; only UTF-8 is accepted, as RFC 8259 requires. */
    static void jsonContentType(String contentType) {
        MediaType type;
        try {
            type = contentType == null ? null : MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            type = null;
        }
        boolean json = type != null && type.isCompatibleWith(MediaType.APPLICATION_JSON) && !type.isWildcardSubtype();
        boolean utf8 = type == null || type.getCharset() == null || type.getCharset().equals(StandardCharsets.UTF_8);
        if (!json || !utf8) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Content-Type must be application/json (UTF-8), got " + (contentType == null ? "none" : "'" + contentType + "'"));
        }
    }

    /** Refuses at once what the client declares too large or empty, before any of it is read. */
    static void declaredLength(long declaredLength, long limit) {
        if (declaredLength > limit) {
            throw tooLarge(declaredLength, limit);
        }
        if (declaredLength == 0) {
            throw emptyBody();
        }
    }

    static ApiException emptyBody() {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid_json", "the body is empty; send a JSON object");
    }

    static ApiException tooLarge(long size, long limit) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "body_too_large",
                "the body is " + (size > limit + 1 ? size + " bytes" : "over " + limit + " bytes")
                        + "; the limit is " + limit + " bytes");
    }
}
