package io.hybridstore.common.manifest;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;

/** How an object's bytes are made redundant; chosen per write. */
public enum Strategy {
    REPLICATION("replication"),
    EC("ec"),
    FIELD_HYBRID("field_hybrid");

    private final String wireName;

    Strategy(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<Strategy> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }
}
