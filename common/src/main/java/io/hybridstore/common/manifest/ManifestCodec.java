package io.hybridstore.common.manifest;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/** Manifests are stored in etcd as JSON; unknown fields are ignored so newer writers don't break older readers. */
public final class ManifestCodec {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ManifestCodec() {
    }

    public static byte[] toJson(Manifest manifest) {
        return JSON.writeValueAsBytes(manifest);
    }

    /** How many bytes {@code fieldOrder} takes in a manifest. */
    public static long encodedLength(List<String> fieldOrder) {
        return JSON.writeValueAsBytes(fieldOrder).length;
    }

    public static Manifest fromJson(byte[] json) {
        try {
            return JSON.readValue(json, Manifest.class);
        } catch (JacksonException e) {
            throw new IllegalStateException("unreadable manifest in etcd: " + e.getOriginalMessage(), e);
        }
    }
}
