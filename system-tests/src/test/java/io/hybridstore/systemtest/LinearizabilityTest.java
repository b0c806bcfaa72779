package io.hybridstore.systemtest;

import io.hybridstore.systemtest.Linearizability.Verdict;
import io.hybridstore.systemtest.RegisterModel.Kind;
import io.hybridstore.systemtest.RegisterModel.Operation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The checker on synthetic histories of one key: times are arbitrary ticks, -1 marks an operation never answered. */
class LinearizabilityTest {

    private static final long NEVER = -1;
    private final Linearizability checker = new Linearizability(1_000_000);

    @Test
    void aSequentialHistoryIsLinearizable() {
        assertThat(verdict(
                write(0, 0, 1, "a"),
                read(0, 2, 3, "a"),
                merge(0, 4, 5, 200, Map.of("x", "1")),
                readFields(0, 6, 7, Map.of("v", "\"a\"", "x", "1")),
                delete(0, 8, 9, 200),
                absent(0, 10, 11),
                delete(0, 12, 13, 404),
                merge(0, 14, 15, 404, Map.of("x", "2")))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void overlappingWritesMayTakeEffectInEitherOrder() {
        assertThat(verdict(
                write(0, 0, 10, "a"),
                write(1, 1, 9, "b"),
                read(2, 11, 12, "a"),
                read(3, 13, 14, "a"))).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict(
                write(0, 0, 10, "a"),
                write(1, 1, 9, "b"),
                read(2, 11, 12, "b"))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aReadOverlappingAWriteMaySeeTheOldOrTheNewValue() {
        assertThat(verdict(
                write(0, 0, 1, "a"),
                write(1, 2, 10, "b"),
                read(2, 3, 4, "a"),
                read(3, 5, 6, "b"),
                read(2, 11, 12, "b"))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void anUnansweredWriteMayHaveHappenedOrNot() {
        assertThat(verdict(
                write(0, 0, 1, "a"),
                write(1, 2, NEVER, "b"),
                read(2, 5, 6, "a"),
                read(2, 7, 8, "b"))).as("it happened between the reads").isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict(
                write(0, 0, 1, "a"),
                write(1, 2, NEVER, "b"),
                read(2, 5, 6, "a"),
                read(2, 70, 80, "a"))).as("it never happened").isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict(
                write(0, 0, 1, "a"),
                delete(1, 2, NEVER, 0),
                absent(2, 5, 6))).as("an unanswered delete that happened").isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void anUnansweredWriteCannotTakeEffectBeforeItWasSent() {
        assertThat(verdict(
                write(0, 0, 1, "a"),
                read(2, 2, 3, "b"),
                write(1, 4, NEVER, "b"))).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void concurrentMergesOfDifferentFieldsAllSurvive() {
        assertThat(verdict(
                write(0, 0, 1, "a"),
                merge(1, 2, 10, 200, Map.of("x", "1")),
                merge(2, 3, 9, 200, Map.of("y", "2")),
                readFields(3, 11, 12, Map.of("v", "\"a\"", "x", "1", "y", "2")))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aStaleReadAfterAnAcknowledgedNewerWriteFails() {
        assertThat(verdict(
                write(0, 0, 1, "a"),
                write(1, 2, 3, "b"),
                read(2, 4, 5, "a"))).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aReadThatGoesBackInTimeFails() {
        assertThat(verdict(
                write(0, 0, 1, "a"),
                write(1, 2, 20, "b"),
                read(2, 3, 4, "b"),
                read(3, 5, 6, "a"))).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aMergeThatLostAnotherMergesFieldsFails() {
        assertThat(verdict(
                write(0, 0, 1, "a"),
                merge(1, 2, 10, 200, Map.of("x", "1")),
                merge(2, 3, 9, 200, Map.of("y", "2")),
                readFields(3, 11, 12, Map.of("v", "\"a\"", "y", "2")))).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aReadOfAValueNeverWrittenFails() {
        assertThat(verdict(
                write(0, 0, 1, "a"),
                write(1, 2, NEVER, "b"),
                read(2, 3, 4, "c"))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict(read(0, 0, 1, "a"))).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aDeleteAnswered404WhileTheKeyExistedFails() {
        // The delete committed, its gateway died before answering, and the retry elsewhere found nothing: the
        // client sees 404 for a key that was there, with no other delete to explain it.
        assertThat(verdict(
                write(0, 0, 1, "a"),
                delete(1, 2, 3, 404),
                absent(2, 4, 5))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict(
                write(0, 0, 1, "a"),
                delete(2, 2, 5, 200),
                delete(1, 3, 6, 404))).as("two overlapping deletes, one found it gone").isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void aMergeAnswered404WhileTheKeyExistedFails() {
        assertThat(verdict(
                write(0, 0, 1, "a"),
                merge(1, 2, 3, 404, Map.of("x", "1")))).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void anAcknowledgedWriteLostAtTheEndFails() {
        assertThat(verdict(
                write(0, 0, 1, "a"),
                write(0, 2, 3, "b"),
                write(1, 4, NEVER, "c"),
                read(2, 100, 101, "a"))).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void aSearchBeyondItsBoundIsReportedNotPassed() {
        List<Operation> history = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            history.add(write(i, 0, 1000, "w" + i));
        }
        history.add(read(99, 1001, 1002, "never"));
        Linearizability.Result result = new Linearizability(1000).check(history);
        assertThat(result.verdict()).isEqualTo(Verdict.TOO_LARGE);
        assertThat(result.operations()).isEqualTo(31);
    }

    @Test
    void manyConcurrentClientsAreCheckedQuickly() {
        List<Operation> history = new ArrayList<>();
        long t = 0;
        for (int round = 0; round < 40; round++) {
            for (int c = 0; c < 6; c++) {
                history.add(c % 2 == 0
                        ? write(c, t + c, t + 10 + c, "r" + round + "c" + c)
                        : merge(c, t + c, t + 10 + c, 200, Map.of("m" + c, Integer.toString(round))));
            }
            t += 20;
        }
        Linearizability.Result result = checker.check(history);
        assertThat(result.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    private Verdict verdict(Operation... history) {
        return checker.check(List.of(history)).verdict();
    }

    private static Operation write(int client, long invoked, long completed, String v) {
        return op(client, Kind.WRITE, invoked, completed, 200, Map.of("v", "\"" + v + "\""));
    }

    private static Operation read(int client, long invoked, long completed, String v) {
        return readFields(client, invoked, completed, Map.of("v", "\"" + v + "\""));
    }

    private static Operation readFields(int client, long invoked, long completed, Map<String, String> fields) {
        return op(client, Kind.READ, invoked, completed, 200, fields);
    }

    private static Operation absent(int client, long invoked, long completed) {
        return op(client, Kind.READ, invoked, completed, 404, null);
    }

    private static Operation delete(int client, long invoked, long completed, int status) {
        return op(client, Kind.DELETE, invoked, completed, status, null);
    }

    private static Operation merge(int client, long invoked, long completed, int status, Map<String, String> fields) {
        return op(client, Kind.MERGE, invoked, completed, status, fields);
    }

    private static Operation op(int client, Kind kind, long invoked, long completed, int status, Map<String, String> value) {
        boolean unknown = completed == NEVER;
        return new Operation(client, kind, invoked, unknown ? Long.MAX_VALUE : completed,
                unknown ? Operation.UNKNOWN : status, value);
    }
}
