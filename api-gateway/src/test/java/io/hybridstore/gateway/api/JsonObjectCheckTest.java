package io.hybridstore.gateway.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

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

    @Test
    void refusesInvalidUtf8() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> check.requireObject(body)).isInstanceOf(ApiException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "C0AF",         // overlong '/'
            "E080AF",       // overlong '/' in three bytes
            "EDA080",       // an encoded UTF-16 surrogate, U+D800
            "F4908080",     // U+110000, above the last code point
            "F8888080",     // a five-byte sequence
            "FF"})
    void refusesUtf8ThatJavaWouldNotDecodeStrictly(String valueHex) {
        byte[] value = java.util.HexFormat.of().parseHex(valueHex);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes("{\"a\":\"".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(value);
        body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused(body.toByteArray());
        assertRefused(("{\"" + new String(value, StandardCharsets.ISO_8859_1) + "\":1}")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void refusesUtf16And32EvenWithoutAByteOrderMark() {
        String json = "{\"a\":\"b\"}";
        for (java.nio.charset.Charset charset : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE,
                StandardCharsets.UTF_16, java.nio.charset.Charset.forName("UTF-32LE"),
                java.nio.charset.Charset.forName("UTF-32BE"))) {
            assertRefused(json.getBytes(charset));
        }
    }

    @Test
    void refusesAUtf8ByteOrderMark() {
        assertRefused(("\uFEFF{\"a\":1}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsFourByteCharactersAndLongNumbersAndNames() {
        assertThatCode(() -> check.requireObject("{\"emoji\":\"\uD83D\uDE00\"}".getBytes(StandardCharsets.UTF_8)))
                .doesNotThrowAnyException();
        String json = "{\"" + "n".repeat(60_000) + "\":" + "1".repeat(1_001) + "}";
        assertThatCode(() -> check.requireObject(json.getBytes(StandardCharsets.UTF_8))).doesNotThrowAnyException();
    }

    @Test
    void theStreamedCheckRefusesWhatTheWholeCheckRefuses() {
        byte[] utf16 = "{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> check.requireObject(new java.io.ByteArrayInputStream(utf16)))
                .isInstanceOf(ApiException.class);
        byte[] surrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        assertThatThrownBy(() -> check.requireObject(new java.io.ByteArrayInputStream(surrogate)))
                .isInstanceOf(ApiException.class);
    }

    private void assertRefused(byte[] body) {
        assertThatThrownBy(() -> check.requireObject(body))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.status().value()).isEqualTo(422);
                    org.assertj.core.api.Assertions.assertThat(e.error()).isEqualTo("invalid_json");
                });
    }
}
