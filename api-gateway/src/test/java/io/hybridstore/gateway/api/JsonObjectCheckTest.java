package io.hybridstore.gateway.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonObjectCheckTest {

    private final JsonObjectCheck check = new JsonObjectCheck(8, 1 << 20);

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"a\":1}",
            " {\"big\": 123456789012345678901234567890, \"f\": 1.10, \"s\": \"\\u00e9\\n\"} ",
            "{\"nested\":{\"x\":[1,{\"y\":null}]},\"e\":\"\"}",
            "{\"a\":{\"a\":{\"a\":{\"a\":1}}}}"})
    void acceptsOneNonEmptyObject(String json) {
        assertThatCode(() -> check.requireObject(json.getBytes(StandardCharsets.UTF_8))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[1,2]", "42", "\"text\"", "null", "{}", " { } ",
            "{\"a\":1", "{\"a\":1}}", "{\"a\":1} {\"b\":2}", "{\"a\":1,\"a\":2}",
            "{a:1}", "{\"a\":01}", "{\"a\":[[[[[[[[[1]]]]]]]]]}"})
    void refusesEverythingElseWith422(String json) {
        assertThatThrownBy(() -> check.requireObject(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.status().value()).isEqualTo(422);
                    org.assertj.core.api.Assertions.assertThat(e.error()).isEqualTo("invalid_json");
                });
    }

    @org.junit.jupiter.api.Test
    void refusesInvalidUtf8() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> check.requireObject(body)).isInstanceOf(ApiException.class);
    }
}
