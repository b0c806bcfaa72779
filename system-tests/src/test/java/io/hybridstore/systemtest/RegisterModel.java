package io.hybridstore.systemtest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sequential specification one key must look like: a register that is absent or holds a JSON object, seen as
 * its top-level fields (name → compact literal). A merge is a read-modify-write of that register.
 */
final class RegisterModel {

    /** A key's value; {@code null} fields means absent. */
    record State(Map<String, String> fields) {

        static final State ABSENT = new State(null);

        boolean present() {
            return fields != null;
        }

        @Override
        public String toString() {
            return present() ? fields.toString() : "absent";
        }
    }

    enum Kind { WRITE, DELETE, READ, MERGE }

    /**
     * One client operation on a key. {@code value} is what a write stores, the fields a merge sets, or what a read
     * returned (null for a 404); {@code status} is 200 or 404, or 0 when the outcome is unknown (no answer, 502,
     * 504), in which case {@code completed} is {@link Long#MAX_VALUE}: it may have taken effect at any point after
     * its invocation, or never.
     */
    record Operation(int client, Kind kind, long invoked, long completed, int status, Map<String, String> value) {

        static final int UNKNOWN = 0;

        boolean indeterminate() {
            return status == UNKNOWN;
        }

        @Override
        public String toString() {
            String at = indeterminate() ? "[" + invoked + ", ∞)" : "[" + invoked + ", " + completed + "]";
            return "client " + client + " " + kind + " " + at + " -> " + (indeterminate() ? "unknown" : status)
                    + (value == null ? "" : " " + value);
        }
    }

    private RegisterModel() {
    }

    /**
     * The state after the operation takes effect in {@code state}, or {@code null} if the operation could not have
     * answered what it did there. An indeterminate operation's answer is unknown, so it fits any state.
     */
    static State step(State state, Operation op) {
        boolean unknown = op.indeterminate();
        return switch (op.kind()) {
            case WRITE -> new State(op.value());
            case DELETE -> {
                if (unknown || op.status() == 200 && state.present() || op.status() == 404 && !state.present()) {
                    yield State.ABSENT;
                }
                yield null;
            }
            case READ -> {
                if (op.status() == 404) {
                    yield state.present() ? null : state;
                }
                yield state.present() && state.fields().equals(op.value()) ? state : null;
            }
            case MERGE -> {
                if (!state.present()) {
                    yield unknown || op.status() == 404 ? state : null;
                }
                if (op.status() == 404) {
                    yield null;
                }
                Map<String, String> merged = new LinkedHashMap<>(state.fields());
                merged.putAll(op.value());
                yield new State(Map.copyOf(merged));
            }
        };
    }
}
