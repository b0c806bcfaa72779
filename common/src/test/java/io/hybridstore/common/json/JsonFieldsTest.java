package io.hybridstore.common.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JsonFieldsTest {

    private static String overlay(String base, String patch) {
        byte[] merged = JsonFields.object(JsonFields.overlay(
                JsonFields.parse(base.getBytes(StandardCharsets.UTF_8)),
                JsonFields.parse(patch.getBytes(StandardCharsets.UTF_8))));
        return new String(merged, StandardCharsets.UTF_8);
    }

    @Test
    void patchFieldsReplaceInPlaceAndNewOnesAreAppendedInPatchOrder() {
        assertThat(overlay("{\"a\":1,\"b\":2,\"c\":3}", "{\"z\":26,\"b\":\"two\",\"y\":25}"))
                .isEqualTo("{\"a\":1,\"b\":\"two\",\"c\":3,\"z\":26,\"y\":25}");
    }

    @Test
    void everyLiteralIsKeptAsWrittenOnBothSides() {
        assertThat(overlay("{ \"id\" : 12345678901234567890 , \"t\":\"caf\\u00e9\", \"n\": {\"x\" : [1, 2]} }",
                "{\"price\": 1.10, \"t\": \"\\\"q\\\"\"}"))
                .isEqualTo("{\"id\":12345678901234567890,\"t\":\"\\\"q\\\"\",\"n\":{\"x\" : [1, 2]},\"price\":1.10}");
    }

    @Test
    void nestedObjectsAreReplacedWholeNotMergedAndNullIsAValue() {
        assertThat(overlay("{\"n\":{\"x\":1,\"y\":2},\"k\":true}", "{\"n\":{\"y\":3},\"k\":null}"))
                .isEqualTo("{\"n\":{\"y\":3},\"k\":null}");
    }

    @Test
    void anEmptyBaseTakesThePatch() {
        assertThat(overlay("{}", "{\"a\":1}")).isEqualTo("{\"a\":1}");
    }

    @Test
    void slicesNumbersAndNamesOfAnyLengthTheCheckAccepts() {
        String name = "n".repeat(60_000);
        String number = "1".repeat(1_001);
        assertThat(overlay("{\"" + name + "\":" + number + ",\"s\":\"" + "x".repeat(30_000_000 / 1000) + "\"}",
                "{\"k\":1}"))
                .startsWith("{\"" + name + "\":" + number + ",").endsWith(",\"k\":1}");
    }
}
