package io.hybridstore.common.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldPrintTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPrintSurvivesItsEncodingAndTellsChangedValuesApart() {
        FieldPrint print = FieldPrint.of(true, utf8("\"ready\""));
        assertThat(FieldPrint.parse(print.encode())).isEqualTo(print);
        assertThat(print.encode()).startsWith("h7:");
        assertThat(print.sameValue(FieldPrint.of(false, utf8("\"ready\"")))).isTrue();
        assertThat(print.sameValue(FieldPrint.of(true, utf8("\"reade\"")))).isFalse();
        assertThat(FieldPrint.of(false, utf8("1")).encode()).startsWith("c1:");
    }

    @Test
    void somethingElseIsNotAPrint() {
        assertThatThrownBy(() -> FieldPrint.parse("x1:00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldPrint.parse("h:")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldPrint.parse("habc:12")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSplitPrintsEveryFieldInOrderWithItsPartUnlessThereAreTooMany() {
        byte[] json = utf8("{\"title\":\"t\",\"like_count\":1,\"body\":[1,2]}");
        FieldSplit split = FieldSplit.split(json, Set.of("like_count"), 3);
        assertThat(split.prints()).extracting(FieldPrint::hot).containsExactly(false, true, false);
        assertThat(split.prints()).extracting(FieldPrint::size).containsExactly(3L, 1L, 5L);
        assertThat(FieldSplit.split(json, Set.of("like_count"), 2).prints()).isNull();
    }
}
