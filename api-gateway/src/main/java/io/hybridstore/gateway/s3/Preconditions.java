package io.hybridstore.gateway.s3;

import io.hybridstore.common.manifest.Manifest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The conditional headers of GetObject and HeadObject, evaluated as S3 does (RFC 9110 with S3's precedence):
 * If-Match before If-Unmodified-Since (412), If-None-Match before If-Modified-Since (304).
 */
final class Preconditions {

    /** A 304 answer: the client's copy is current. */
    static final class NotModified extends RuntimeException {
        final String etag;
        final long lastModified;

        NotModified(String etag, long lastModified) {
            super(null, null, false, false);
            this.etag = etag;
            this.lastModified = lastModified;
        }
    }

    private Preconditions() {
    }

    static void check(S3Request request, String etag, long lastModifiedMillis) {
        long lastModified = lastModifiedMillis / 1000;
        Optional<String> ifMatch = request.header("if-match");
        if (ifMatch.isPresent()) {
            if (!matches(ifMatch.get(), etag)) {
                throw failed("If-Match");
            }
        } else {
            request.header("if-unmodified-since").flatMap(Preconditions::seconds).ifPresent(since -> {
                if (lastModified > since) {
                    throw failed("If-Unmodified-Since");
                }
            });
        }
        Optional<String> ifNoneMatch = request.header("if-none-match");
        if (ifNoneMatch.isPresent()) {
            if (matches(ifNoneMatch.get(), etag)) {
                throw new NotModified(etag, lastModifiedMillis);
            }
        } else {
            request.header("if-modified-since").flatMap(Preconditions::seconds).ifPresent(since -> {
                if (lastModified <= since) {
                    throw new NotModified(etag, lastModifiedMillis);
                }
            });
        }
    }

    /**
     * A conditional PUT's If-None-Match ({@code *}: create only) and If-Match, as a check of the version the write
     * would replace; empty when the request has neither.
     */
    static Optional<Consumer<Optional<Manifest>>> forWrite(S3Request request) {
        Optional<String> ifNoneMatch = request.header("if-none-match");
        Optional<String> ifMatch = request.header("if-match");
        if (ifNoneMatch.isEmpty() && ifMatch.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(replaced -> {
            ifNoneMatch.ifPresent(tags -> {
                if (replaced.isPresent() && (tags.strip().equals("*")
                        || matches(tags, ObjectOperations.etag(replaced.get())))) {
                    throw failed("If-None-Match");
                }
            });
            ifMatch.ifPresent(tags -> {
                if (replaced.isEmpty()) {
                    throw new S3Exception(S3Error.NO_SUCH_KEY, "The specified key does not exist: '" + request.key()
                            + "' (If-Match needs an object to match)");
                }
                if (!matches(tags, ObjectOperations.etag(replaced.get()))) {
                    throw failed("If-Match");
                }
            });
        });
    }

    /** CopyObject's x-amz-copy-source-if-* headers, checked against the source: 412 when one fails. */
    static void checkCopySource(S3Request request, String etag, long lastModifiedMillis) {
        long lastModified = lastModifiedMillis / 1000;
        request.header("x-amz-copy-source-if-match").filter(tags -> !matches(tags, etag)).ifPresent(t -> {
            throw failed("x-amz-copy-source-if-match");
        });
        request.header("x-amz-copy-source-if-none-match").filter(tags -> matches(tags, etag)).ifPresent(t -> {
            throw failed("x-amz-copy-source-if-none-match");
        });
        if (request.header("x-amz-copy-source-if-match").isEmpty()) {
            request.header("x-amz-copy-source-if-unmodified-since").flatMap(Preconditions::seconds)
                    .filter(since -> lastModified > since).ifPresent(s -> {
                        throw failed("x-amz-copy-source-if-unmodified-since");
                    });
        }
        if (request.header("x-amz-copy-source-if-none-match").isEmpty()) {
            request.header("x-amz-copy-source-if-modified-since").flatMap(Preconditions::seconds)
                    .filter(since -> lastModified <= since).ifPresent(s -> {
                        throw failed("x-amz-copy-source-if-modified-since");
                    });
        }
    }

    static String httpDate(long millis) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC));
    }

    /** Whether a list of entity tags (or {@code *}) names {@code etag}; quotes and weak markers are ignored. */
    private static boolean matches(String header, String etag) {
        String bare = unquote(etag);
        return Arrays.stream(header.split(",")).map(String::strip)
                .anyMatch(tag -> tag.equals("*") || unquote(tag).equals(bare));
    }

    /** An entity tag without its quotes and weak marker. */
    static String unquote(String tag) {
        String t = tag.startsWith("W/") ? tag.substring(2) : tag;
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    /** An HTTP date in seconds; an unreadable one is ignored, as HTTP prescribes. */
    private static Optional<Long> seconds(String date) {
        try {
            return Optional.of(ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static S3Exception failed(String header) {
        return new S3Exception(S3Error.PRECONDITION_FAILED, "At least one of the pre-conditions you specified did "
                + "not hold: " + header);
    }
}
