package io.hybridstore.common.wal;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Log records travel as JSON so that operators can read the log with any Kafka tool. */
public final class WalRecordCodec {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private WalRecordCodec() {
    }

    public static byte[] toJson(WalRecord record) {
        return JSON.writeValueAsBytes(record);
    }

    public static WalRecord fromJson(byte[] json) {
        return JSON.readValue(json, WalRecord.class);
    }
}
