package io.hybridstore.gateway.api;

import io.hybridstore.common.manifest.Strategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "user/42/profile", "clé-ünïcode-✓", "x y"})
    void acceptsPrintableUtf8Keys(String key) {
        assertThat(RequestValidation.key(key)).isEqualTo(key);
    }

    @Test
    void keysAreLimitedTo1024BytesOfUtf8() {
        assertThat(RequestValidation.key("a".repeat(1024))).hasSize(1024);
        assertThat(status(() -> RequestValidation.key("a".repeat(1025)))).isEqualTo(400);
        assertThat(status(() -> RequestValidation.key("é".repeat(513)))).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\u0000b", "tab\there", "new\nline", "del\u007f", "lone\uD800surrogate"})
    void refusesEmptyControlAndBrokenKeysWith400(String key) {
        assertThat(status(() -> RequestValidation.key(key))).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../../etc/passwd", "a/../b", "a/./b", "a/..", "."})
    void refusesDotSegmentsThatNoUrlCanCarryWith400(String key) {
        assertThat(status(() -> RequestValidation.key(key))).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"...", "a..b", "a/.hidden", "..a/b..", "a/.../b"})
    void acceptsDotsThatAreNotWholeSegments(String key) {
        assertThat(RequestValidation.key(key)).isEqualTo(key);
    }

    @Test
    void refusesMissingKeyWith400() {
        assertThat(status(() -> RequestValidation.key(null))).isEqualTo(400);
    }

    @Test
    void strategyDefaultsToReplicationAndUnknownIs422() {
        assertThat(RequestValidation.strategy(null)).isEqualTo(Strategy.REPLICATION);
        assertThat(RequestValidation.strategy("field_hybrid")).isEqualTo(Strategy.FIELD_HYBRID);
        assertThat(status(() -> RequestValidation.strategy("raid5"))).isEqualTo(422);
    }

    @Test
    void unknownOrRepeatedParametersAre400() {
        assertThat(status(() -> RequestValidation.onlyKnownParameters(Map.of("stratgy", List.of("ec"))))).isEqualTo(400);
        assertThat(status(() -> RequestValidation.onlyKnownParameters(Map.of("key", List.of("a", "b"))))).isEqualTo(400);
    }

    @Test
    void hotOnlyNeedsFieldHybrid() {
        assertThat(RequestValidation.hotOnly("true", Strategy.FIELD_HYBRID)).isTrue();
        assertThat(RequestValidation.hotOnly(null, Strategy.EC)).isFalse();
        assertThat(status(() -> RequestValidation.hotOnly("true", Strategy.REPLICATION))).isEqualTo(400);
        assertThat(status(() -> RequestValidation.hotOnly("yes", Strategy.FIELD_HYBRID))).isEqualTo(400);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "true, true", "True, true", "TRUE, true", "tRuE, true",
            "false, false", "False, false", "FALSE, false", "none, false"})
    void booleanParametersTakeTrueAndFalseInAnyCase(String value, boolean expected) {
        assertThat(RequestValidation.hotOnly(value, Strategy.FIELD_HYBRID)).isEqualTo(expected);
        assertThat(RequestValidation.merge(value, false)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yes", "1", "on", "t", "true ", " false", "truee"})
    void booleanParametersRefuseAnythingElseWith400(String value) {
        assertThat(status(() -> RequestValidation.hotOnly(value, Strategy.FIELD_HYBRID))).isEqualTo(400);
        assertThat(status(() -> RequestValidation.merge(value, false))).isEqualTo(400);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "application/json, 0", "application/json; charset=utf-8, 0", "application/json;charset=UTF-8, 0",
            "text/plain, 415", "none, 415", "application/xml, 415", "application/json; charset=latin1, 415",
            "application/*, 415", "garbage, 415"})
    void contentTypeMustBeJson(String contentType, int expected) {
        assertThat(status(() -> RequestValidation.jsonContentType(contentType))).isEqualTo(expected);
    }

    private interface Call {
        void run() throws Exception;
    }

    private static int status(Call call) {
        try {
            call.run();
            return 0;
        } catch (ApiException e) {
            return e.status().value();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
