package io.hybridstore.gateway.api;

import io.hybridstore.common.json.StrictJson;
import io.hybridstore.common.json.StrictJson.InvalidUtf8Exception;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

import java.io.InputStream;

/**
 * Checks that a body is exactly one non-empty JSON object in strict UTF-8 (see {@link StrictJson}), without
 * duplicate keys and no deeper than the configured limit. It only tokenizes and skips values — the value is stored as the client's bytes, so
 * number literals, escapes and field order come back exactly as written, and a long string is never held in memory
 * as text.
 */
public final class JsonObjectCheck {

    private final JsonFactory factory;

    public JsonObjectCheck(int maxDepth, long maxBodyBytes) {
        this.factory = StrictJson.factory(maxDepth, maxBodyBytes);
    }

    public void requireObject(byte[] body) {
        try {
            StrictJson.requireUtf8(body);
        } catch (InvalidUtf8Exception e) {
            throw invalid(e.getMessage());
        }
        try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), body)) {
            requireObject(parser);
        }
    }

    /** The same check over a body read as a stream, as it arrives (see {@link StreamedBody}). */
    void requireObject(InputStream body) {
        try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), StrictJson.requireUtf8(body))) {
            requireObject(parser);
        } catch (InvalidUtf8Exception e) {
            throw invalid(e.getMessage());
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
