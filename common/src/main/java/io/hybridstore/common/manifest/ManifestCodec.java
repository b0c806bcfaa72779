package io.hybridstore.common.manifest;

import io.hybridstore.common.json.FieldPrint;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Manifests are stored in etcd as JSON, field names as the records name them; unknown fields are ignored so newer
 * writers don't break older readers. Written and read token by token rather than by data binding: every read and
 * write of an object decodes or encodes one, and binding records by reflection cost several times as much CPU. Absent
 * parts, and attributes that are empty, are left out.
 */
public final class ManifestCodec {

    private static final JsonFactory JSON = new JsonFactory();

    private ManifestCodec() {
    }

    public static byte[] toJson(Manifest manifest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            json.writeStartObject();
            stringProperty(json, "key", manifest.key());
            stringProperty(json, "version", manifest.version());
            if (manifest.strategy() != null) {
                json.writeStringProperty("strategy", manifest.strategy().wireName());
            }
            stringProperty(json, "contentType", manifest.contentType());
            json.writeNumberProperty("size", manifest.size());
            stringProperty(json, "sha256", manifest.sha256());
            json.writeNumberProperty("createdAt", manifest.createdAt());
            if (manifest.replicated() != null) {
                json.writeName("replicated");
                write(json, manifest.replicated());
            }
            if (manifest.erasureCoded() != null) {
                json.writeName("erasureCoded");
                write(json, manifest.erasureCoded());
            }
            if (manifest.fieldOrder() != null) {
                json.writeName("fieldOrder");
                writeStrings(json, manifest.fieldOrder());
            }
            if (manifest.fieldPrints() != null) {
                json.writeName("fieldPrints");
                writeStrings(json, manifest.fieldPrints().stream().map(FieldPrint::encode).toList());
            }
            if (manifest.attributes() != null) {
                json.writeName("attributes");
                write(json, manifest.attributes());
            }
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    /** How many bytes {@code fieldOrder} takes in a manifest. */
    public static long encodedLength(List<String> fieldOrder) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            writeStrings(json, fieldOrder);
        }
        return out.size();
    }

    public static Manifest fromJson(byte[] bytes) {
        try (JsonParser json = JSON.createParser(ObjectReadContext.empty(), bytes)) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            String key = null;
            String version = null;
            Strategy strategy = null;
            String contentType = null;
            long size = 0;
            String sha256 = null;
            long createdAt = 0;
            ReplicatedPart replicated = null;
            ErasureCodedPart erasureCoded = null;
            List<String> fieldOrder = null;
            ObjectAttributes attributes = null;
            List<FieldPrint> fieldPrints = null;
            for (String name = json.nextName(); name != null; name = json.nextName()) {
                JsonToken value = json.nextToken();
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (name) {
                    case "key" -> key = json.getString();
                    case "version" -> version = json.getString();
                    case "strategy" -> strategy = Strategy.fromWireName(json.getString())
                            .orElseThrow(() -> new IllegalStateException("unreadable manifest in etcd: strategy '"
                                    + json.getString() + "'"));
                    case "contentType" -> contentType = json.getString();
                    case "size" -> size = json.getLongValue();
                    case "sha256" -> sha256 = json.getString();
                    case "createdAt" -> createdAt = json.getLongValue();
                    case "replicated" -> replicated = readReplicated(json);
                    case "erasureCoded" -> erasureCoded = readErasureCoded(json);
                    case "fieldOrder" -> fieldOrder = readStrings(json);
                    case "attributes" -> attributes = readAttributes(json);
                    case "fieldPrints" -> fieldPrints = readStrings(json).stream().map(FieldPrint::parse).toList();
                    default -> json.skipChildren();
                }
            }
            return new Manifest(key, version, strategy, contentType, size, sha256, createdAt, replicated, erasureCoded,
                    fieldOrder, attributes, fieldPrints);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new IllegalStateException("unreadable manifest in etcd: " + (e instanceof JacksonException j
                    ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    private static void write(JsonGenerator json, ReplicatedPart part) {
        json.writeStartObject();
        json.writeNumberProperty("length", part.length());
        json.writeStringProperty("sha256", part.sha256());
        json.writeName("replicas");
        json.writeStartArray();
        for (Replica replica : part.replicas()) {
            json.writeStartObject();
            json.writeStringProperty("node", replica.node());
            json.writeStringProperty("blob", replica.blob());
            json.writeNumberProperty("crc32c", replica.crc32c());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void write(JsonGenerator json, ErasureCodedPart part) {
        json.writeStartObject();
        json.writeNumberProperty("k", part.k());
        json.writeNumberProperty("m", part.m());
        json.writeNumberProperty("length", part.length());
        json.writeStringProperty("sha256", part.sha256());
        json.writeName("stripes");
        json.writeStartArray();
        for (Stripe stripe : part.stripes()) {
            json.writeStartObject();
            json.writeNumberProperty("length", stripe.length());
            json.writeNumberProperty("shardSize", stripe.shardSize());
            json.writeName("shards");
            json.writeStartArray();
            for (Shard shard : stripe.shards()) {
                json.writeStartObject();
                json.writeNumberProperty("index", shard.index());
                json.writeStringProperty("node", shard.node());
                json.writeStringProperty("blob", shard.blob());
                json.writeNumberProperty("crc32c", shard.crc32c());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void write(JsonGenerator json, ObjectAttributes attributes) {
        json.writeStartObject();
        stringProperty(json, "etag", attributes.etag());
        writeMap(json, "metadata", attributes.metadata());
        writeMap(json, "headers", attributes.headers());
        if (!attributes.parts().isEmpty()) {
            json.writeName("parts");
            json.writeStartArray();
            for (long part : attributes.parts()) {
                json.writeNumber(part);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    private static void writeMap(JsonGenerator json, String name, Map<String, String> map) {
        if (map.isEmpty()) {
            return;
        }
        json.writeName(name);
        json.writeStartObject();
        for (Map.Entry<String, String> entry : map.entrySet()) {
            json.writeStringProperty(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
    }

    private static void writeStrings(JsonGenerator json, List<String> strings) {
        json.writeStartArray();
        for (String string : strings) {
            json.writeString(string);
        }
        json.writeEndArray();
    }

    private static void stringProperty(JsonGenerator json, String name, String value) {
        if (value != null) {
            json.writeStringProperty(name, value);
        }
    }

    private static ReplicatedPart readReplicated(JsonParser json) {
        expect(json.currentToken(), JsonToken.START_OBJECT);
        long length = 0;
        String sha256 = null;
        List<Replica> replicas = List.of();
        for (String name = json.nextName(); name != null; name = json.nextName()) {
            json.nextToken();
            switch (name) {
                case "length" -> length = json.getLongValue();
                case "sha256" -> sha256 = json.getValueAsString();
                case "replicas" -> replicas = readArray(json, ManifestCodec::readReplica);
                default -> json.skipChildren();
            }
        }
        return new ReplicatedPart(length, sha256, replicas);
    }

    private static Replica readReplica(JsonParser json) {
        String node = null;
        String blob = null;
        long crc32c = 0;
        for (String name = json.nextName(); name != null; name = json.nextName()) {
            json.nextToken();
            switch (name) {
                case "node" -> node = json.getValueAsString();
                case "blob" -> blob = json.getValueAsString();
                case "crc32c" -> crc32c = json.getLongValue();
                default -> json.skipChildren();
            }
        }
        return new Replica(node, blob, crc32c);
    }

    private static ErasureCodedPart readErasureCoded(JsonParser json) {
        expect(json.currentToken(), JsonToken.START_OBJECT);
        int k = 0;
        int m = 0;
        long length = 0;
        String sha256 = null;
        List<Stripe> stripes = List.of();
        for (String name = json.nextName(); name != null; name = json.nextName()) {
            json.nextToken();
            switch (name) {
                case "k" -> k = json.getIntValue();
                case "m" -> m = json.getIntValue();
                case "length" -> length = json.getLongValue();
                case "sha256" -> sha256 = json.getValueAsString();
                case "stripes" -> stripes = readArray(json, ManifestCodec::readStripe);
                default -> json.skipChildren();
            }
        }
        return new ErasureCodedPart(k, m, length, sha256, stripes);
    }

    private static Stripe readStripe(JsonParser json) {
        long length = 0;
        int shardSize = 0;
        List<Shard> shards = List.of();
        for (String name = json.nextName(); name != null; name = json.nextName()) {
            json.nextToken();
            switch (name) {
                case "length" -> length = json.getLongValue();
                case "shardSize" -> shardSize = json.getIntValue();
                case "shards" -> shards = readArray(json, ManifestCodec::readShard);
                default -> json.skipChildren();
            }
        }
        return new Stripe(length, shardSize, shards);
    }

    private static Shard readShard(JsonParser json) {
        int index = 0;
        String node = null;
        String blob = null;
        long crc32c = 0;
        for (String name = json.nextName(); name != null; name = json.nextName()) {
            json.nextToken();
            switch (name) {
                case "index" -> index = json.getIntValue();
                case "node" -> node = json.getValueAsString();
                case "blob" -> blob = json.getValueAsString();
                case "crc32c" -> crc32c = json.getLongValue();
                default -> json.skipChildren();
            }
        }
        return new Shard(index, node, blob, crc32c);
    }

    private static ObjectAttributes readAttributes(JsonParser json) {
        expect(json.currentToken(), JsonToken.START_OBJECT);
        String etag = null;
        Map<String, String> metadata = Map.of();
        Map<String, String> headers = Map.of();
        List<Long> parts = List.of();
        for (String name = json.nextName(); name != null; name = json.nextName()) {
            JsonToken value = json.nextToken();
            switch (name) {
                case "etag" -> etag = json.getValueAsString();
                case "metadata" -> metadata = readMap(json, value);
                case "headers" -> headers = readMap(json, value);
                case "parts" -> parts = value == JsonToken.START_ARRAY
                        ? readArray(json, JsonParser::getLongValue) : List.of();
                default -> json.skipChildren();
            }
        }
        return new ObjectAttributes(etag, metadata, headers, parts);
    }

    private static Map<String, String> readMap(JsonParser json, JsonToken start) {
        if (start != JsonToken.START_OBJECT) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String name = json.nextName(); name != null; name = json.nextName()) {
            json.nextToken();
            map.put(name, json.getValueAsString());
        }
        return map;
    }

    private static List<String> readStrings(JsonParser json) {
        return readArray(json, JsonParser::getValueAsString);
    }

    private interface Element<T> {
        T read(JsonParser json);
    }

    /** The array at the current token; each element's reader starts on the element's first token. */
    private static <T> List<T> readArray(JsonParser json, Element<T> element) {
        expect(json.currentToken(), JsonToken.START_ARRAY);
        List<T> elements = new ArrayList<>();
        while (json.nextToken() != JsonToken.END_ARRAY) {
            elements.add(element.read(json));
        }
        return elements;
    }

    private static void expect(JsonToken token, JsonToken expected) {
        if (token != expected) {
            throw new IllegalStateException("unreadable manifest in etcd: expected " + expected + ", found " + token);
        }
    }
}
