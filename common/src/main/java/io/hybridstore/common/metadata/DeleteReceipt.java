package io.hybridstore.common.metadata;

import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Strategy;
import tools.jackson.databind.json.JsonMapper;

/** What a committed delete removed, kept for a while under its request id so that a repeat can answer the same. */
public record DeleteReceipt(String key, String version, Strategy strategy) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static DeleteReceipt of(Manifest removed) {
        return new DeleteReceipt(removed.key(), removed.version(), removed.strategy());
    }

    byte[] toJson() {
        return JSON.writeValueAsBytes(this);
    }

    static DeleteReceipt fromJson(byte[] json) {
        return JSON.readValue(json, DeleteReceipt.class);
    }
}
