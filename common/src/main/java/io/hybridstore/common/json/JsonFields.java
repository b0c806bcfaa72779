package io.hybridstore.common.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The top-level fields of a JSON object as raw slices of the text the client sent. Nothing is re-serialized: a
 * 20-digit integer, {@code 1.10} or a {@code \u00e9} escape comes back exactly as written, because the bytes of
 * each name and value are copied, never parsed into numbers or strings and printed again.
 */
public final class JsonFields {

    /** The stored bytes passed the gateway's check, so the slicer takes whatever that check may accept. */
    private static final JsonFactory FACTORY = StrictJson.factory(Integer.MAX_VALUE, Long.MAX_VALUE);

    private JsonFields() {
    }

    /** A top-level field: its decoded name, and its name token and value exactly as they appear in the text. */
    public record Field(String name, byte[] rawName, byte[] rawValue) {
    }

    /**
     * The top-level fields of {@code json}, in order. The input must already be a valid JSON object (the gateway
     * checks it first); this method only slices it.
     */
    public static List<Field> parse(byte[] json) {
        List<Field> fields = new ArrayList<>();
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            JsonToken token = parser.nextToken();
            while (token == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                int nameStart = offset(parser);
                parser.nextToken();
                int valueStart = offset(parser);
                parser.skipChildren();
                token = parser.nextToken();
                int next = offset(parser);
                fields.add(new Field(name, slice(json, nameStart, stringEnd(json, nameStart)),
                        slice(json, valueStart, valueEnd(json, valueStart, next))));
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a valid JSON object: " + e.getOriginalMessage(), e);
        }
        return fields;
    }

    /**
     * The fields of {@code base} with those of {@code patch} laid over them, as a top-level merge: a field in both
     * takes the patch's value in the base's position, a field only in the patch is appended in the patch's order.
     */
    public static List<Field> overlay(List<Field> base, List<Field> patch) {
        Map<String, Field> replacements = new LinkedHashMap<>();
        patch.forEach(field -> replacements.put(field.name(), field));
        List<Field> merged = new ArrayList<>(base.size() + patch.size());
        for (Field field : base) {
            Field replacement = replacements.remove(field.name());
            merged.add(replacement == null ? field : replacement);
        }
        merged.addAll(replacements.values());
        return merged;
    }

    /** Writes the fields as one compact JSON object, in the order given. */
    public static byte[] object(List<Field> fields) {
        int size = 2 + Math.max(0, fields.size() - 1);
        for (Field field : fields) {
            size += field.rawName().length + 1 + field.rawValue().length;
        }
        byte[] object = new byte[size];
        int at = 0;
        object[at++] = '{';
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                object[at++] = ',';
            }
            at = put(object, at, fields.get(i).rawName());
            object[at++] = ':';
            at = put(object, at, fields.get(i).rawValue());
        }
        object[at] = '}';
        return object;
    }

    private static int put(byte[] into, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, into, at, bytes.length);
        return at + bytes.length;
    }

    private static int offset(JsonParser parser) {
        return (int) parser.currentTokenLocation().getByteOffset();
    }

    /** The end (exclusive) of the string token starting at {@code start}, skipping escaped quotes. */
    private static int stringEnd(byte[] json, int start) {
        int i = start + 1;
        while (json[i] != '"') {
            i += json[i] == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    /**
     * A value ends where the next token (a field name, or the closing brace) starts, less the separating comma
     * and whitespace. Scalars are parsed lazily by Jackson, so its own end location is not reliable.
     */
    private static int valueEnd(byte[] json, int valueStart, int nextTokenStart) {
        int end = nextTokenStart;
        while (end > valueStart && isWhitespace(json[end - 1])) {
            end--;
        }
        if (end > valueStart && json[end - 1] == ',') {
            end--;
        }
        while (end > valueStart && isWhitespace(json[end - 1])) {
            end--;
        }
        return end;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static byte[] slice(byte[] json, int from, int to) {
        byte[] slice = new byte[to - from];
        System.arraycopy(json, from, slice, 0, slice.length);
        return slice;
    }
}
