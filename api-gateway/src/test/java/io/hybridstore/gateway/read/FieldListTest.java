package io.hybridstore.gateway.read;

import org.junit.jupiter.api.Test;

import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldListTest {

    @Test
    void namesAreSplitOnCommasOnceEach() {
        assertThat(FieldList.parse("b,a,b")).containsExactly("b", "a");
        assertThat(FieldList.parse("status_flags")).containsExactly("status_flags");
        assertThat(FieldList.parse(" spaced ")).containsExactly(" spaced ");
    }

    @Test
    void emptyNamesAndTooManyAreRefused() {
        assertThatThrownBy(() -> FieldList.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldList.parse("a,,b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldList.parse("a,")).isInstanceOf(IllegalArgumentException.class);
        assertThat(FieldList.parse(String.join(",", Collections.nCopies(FieldList.MAX_FIELDS, "x")))).hasSize(1);
        StringBuilder many = new StringBuilder("f0");
        for (int i = 1; i <= FieldList.MAX_FIELDS; i++) {
            many.append(",f").append(i);
        }
        assertThatThrownBy(() -> FieldList.parse(many.toString())).hasMessageContaining("at most");
    }
}
