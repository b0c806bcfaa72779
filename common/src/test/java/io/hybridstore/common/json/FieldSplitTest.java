package io.hybridstore.common.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FieldSplitTest {

    private static final Set<String> HOT = Set.of("like_count", "view_count");

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"title\":\"x\",\"like_count\":12345678901234567890123,\"price\":1.10,\"view_count\":-0.0e-5}",
            "{\"like_count\":1}",
            "{\"description\":\"caf\\u00e9 \\\"quoted\\\" \\\\ \u2615\",\"empty\":\"\"}",
            "{\"n\":{\"like_count\":1,\"deep\":[1, 2,  {\"a\" : null}]},\"like_count\":true,\"z\":[]}",
            "{\"a,b\":\"}{\",\"like_count\":\"\\\"\",\"\\u006c\":false}"})
    void mergeGivesBackEveryLiteralInTheOriginalOrder(String json) {
        FieldSplit split = FieldSplit.split(utf8(json), HOT);
        assertThat(text(FieldSplit.merge(split.hot(), split.cold(), split.fieldOrder()))).isEqualTo(json);
    }

    @Test
    void topLevelWhitespaceIsNormalisedButNestedTextIsKept() {
        String json = "{ \"title\" : \"x\" ,\n \"like_count\" :\t7 , \"nested\": { \"a\" : 1 } }";
        FieldSplit split = FieldSplit.split(utf8(json), HOT);
        assertThat(text(FieldSplit.merge(split.hot(), split.cold(), split.fieldOrder())))
                .isEqualTo("{\"title\":\"x\",\"like_count\":7,\"nested\":{ \"a\" : 1 }}");
    }

    @Test
    void splitsHotFromColdAndRemembersTheOrder() {
        FieldSplit split = FieldSplit.split(utf8("{\"z\":1,\"like_count\":2,\"a\":3}"), HOT);
        assertThat(text(split.hot())).isEqualTo("{\"like_count\":2}");
        assertThat(text(split.cold())).isEqualTo("{\"a\":3,\"z\":1}");
        assertThat(split.fieldOrder()).containsExactly("z", "like_count", "a");
    }

    @Test
    void objectsWithOnlyHotOrOnlyColdFieldsHaveOnePart() {
        assertThat(FieldSplit.split(utf8("{\"like_count\":2}"), HOT).cold()).isNull();
        assertThat(FieldSplit.split(utf8("{\"title\":2}"), HOT).hot()).isNull();
        assertThat(FieldSplit.split(utf8("{\"title\":2}"), HOT).coldSha256()).hasSize(64);
    }

    @Test
    void coldHashIgnoresHotChangesAndColdFieldOrder() {
        String a = FieldSplit.split(utf8("{\"title\":\"t\",\"like_count\":1,\"body\":[1]}"), HOT).coldSha256();
        String b = FieldSplit.split(utf8("{\"body\":[1],\"like_count\":2,\"title\":\"t\"}"), HOT).coldSha256();
        String c = FieldSplit.split(utf8("{\"body\":[1.0],\"like_count\":2,\"title\":\"t\"}"), HOT).coldSha256();
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }
}
