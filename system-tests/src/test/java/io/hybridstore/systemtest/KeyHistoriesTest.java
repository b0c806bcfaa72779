package io.hybridstore.systemtest;

import io.hybridstore.systemtest.RegisterModel.Kind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KeyHistoriesTest {

    private static final Map<String, String> A = Map.of("v", "1");
    private static final Map<String, String> B = Map.of("v", "2");

    @Test
    void anAnswerThatChangedNothingIsLeftOutAndAGatewayTimeoutMayHaveHappened() {
        KeyHistories histories = new KeyHistories();
        histories.record("k", 0, Kind.WRITE, 0, 1, 200, A);
        histories.record("k", 1, Kind.WRITE, 2, 3, 503, B);
        histories.record("k", 1, Kind.WRITE, 4, 5, 409, B);
        histories.record("k", 2, Kind.READ, 6, 7, 200, A);
        assertThat(check(histories).nonLinearizable()).as("503 and 409 changed nothing").isEmpty();

        histories.record("k", 1, Kind.WRITE, 8, 9, 504, B);
        histories.record("k", 2, Kind.READ, 10, 11, 200, B);
        assertThat(check(histories).nonLinearizable()).as("the 504 write took effect").isEmpty();

        histories.record("k", 2, Kind.READ, 12, 13, 200, A);
        KeyHistories.Summary summary = check(histories);
        assertThat(summary.nonLinearizable()).containsExactly("k");
        assertThat(summary.firstOffender()).contains("READ", "WRITE");
        assertThat(summary.checked()).isEqualTo(1);
    }

    @Test
    void fieldsAreComparedByTheirLiteralsAndLongOnesByHash() {
        Map<String, String> fields = KeyHistories.fields(
                ("{\"a\": 1, \"b\":\"x\", \"c\":\"" + "y".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(fields).containsEntry("a", "1").containsEntry("b", "\"x\"");
        assertThat(fields.get("c")).startsWith("sha256:");
        assertThat(KeyHistories.fields("{\"b\":\"x\",\"a\":1}".getBytes(StandardCharsets.UTF_8)))
                .as("order and whitespace between fields do not matter")
                .isEqualTo(KeyHistories.fields("{ \"a\" : 1 , \"b\" : \"x\" }".getBytes(StandardCharsets.UTF_8)));
    }

    private static KeyHistories.Summary check(KeyHistories histories) {
        return histories.check(new Linearizability(100_000));
    }
}
