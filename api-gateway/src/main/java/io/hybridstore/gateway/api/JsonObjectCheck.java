package io.hybridstore.gateway.api;

import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

import java.io.InputStream;

/**
 * Checks that a body is exactly one non-empty JSON object in valid UTF-8, without duplicate keys and no deeper
 * than the configured limit. It only tokenizes and skips values — the value is stored as the client's bytes, so
 * number literals, escapes and field order come back exactly as written, and a long string is never held in memory
 * as text.
 */
final class JsonObjectCheck {

    private final JsonFactory factory;

    JsonObjectCheck(int maxDepth, long maxBodyBytes) {
        int maxLength = (int) Math.min(Integer.MAX_VALUE, maxBodyBytes);
        this.factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength(maxLength)
                        .maxNumberLength(maxLength)
                        .maxNameLength(maxLength)
                        .maxDocumentLength(maxBodyBytes)
                        .build())
                .build();
    }

    void requireObject(byte[] body) {
        try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), body)) {
            requireObject(parser);
        }
    }

    /** The same check over a body read as a stream, as it arrives (see {@link StreamedBody}). */
    void requireObject(InputStream body) {
        try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), body)) {
            requireObject(parser);
        }
    }

    private static void requireObject(JsonParser parser) {
        try {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("the body must be a JSON object");
            }
            if (parser.nextToken() == JsonToken.END_OBJECT) {
                throw invalid("the JSON object is empty; it needs at least one field");
            }
            JsonToken token;
            do {
                token = parser.nextToken();
                parser.skipChildren();
            } while (token != null && !(token == JsonToken.END_OBJECT && parser.streamReadContext().inRoot()));
            if (token == null) {
                throw invalid("the JSON object is not closed");
            }
            if (parser.nextToken() != null) {
                throw invalid("unexpected content after the JSON object");
            }
        } catch (StreamConstraintsException e) {
            throw invalid("the JSON exceeds a limit: " + e.getOriginalMessage());
        } catch (JacksonException e) {
            throw invalid("malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static ApiException invalid(String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid_json", detail);
    }
}
