package io.hybridstore.systemtest;

import io.hybridstore.systemtest.RegisterModel.Kind;
import io.hybridstore.systemtest.RegisterModel.Operation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every client operation on every key, with invocation and completion on one monotonic clock shared by all clients
 * ({@link System#nanoTime()}), for the linearizability check after the load.
 */
final class KeyHistories {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Field literals longer than this are compared by their hash, so that a history does not hold megabytes. */
    private static final int LONGEST_LITERAL = 64;

    /** What the check found; {@code firstOffender} is the first non-linearizable key's operations, for the log. */
    record Summary(int checked, List<String> nonLinearizable, List<String> tooLarge, int operations,
                   String firstOffender) {
    }

    private final Map<String, List<Operation>> byKey = new ConcurrentHashMap<>();

    static long now() {
        return System.nanoTime();
    }

    /**
     * Adds an operation by its HTTP answer: 200 and a 404 (for a read, delete or merge) are definite answers; no
     * answer, 500, 502 and 504 leave it open; any other status said nothing changed, so it is left out.
     */
    void record(String key, int client, Kind kind, long invoked, long completed, int status, Map<String, String> value) {
        Operation op;
        if (status == 200 || status == 404 && kind != Kind.WRITE) {
            op = new Operation(client, kind, invoked, completed, status, status == 404 ? null : value);
        } else if (status == 0 || status == 500 || status == 502 || status == 504) {
            op = new Operation(client, kind, invoked, Long.MAX_VALUE, Operation.UNKNOWN, kind == Kind.READ ? null : value);
        } else {
            return;
        }
        byKey.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(op);
    }

    /** A JSON object's top-level fields, name → compact literal (or its hash when long). */
    static Map<String, String> fields(byte[] json) {
        JsonNode tree = JSON.readTree(json);
        Map<String, String> fields = new LinkedHashMap<>();
        for (var field : tree.properties()) {
            String literal = field.getValue().toString();
            fields.put(field.getKey(), literal.length() <= LONGEST_LITERAL ? literal
                    : "sha256:" + Workload.sha256(literal.getBytes(StandardCharsets.UTF_8)));
        }
        return Map.copyOf(fields);
    }

    Summary check(Linearizability checker) {
        List<String> bad = new ArrayList<>();
        List<String> tooLarge = new ArrayList<>();
        int operations = 0;
        String firstOffender = null;
        for (var entry : new java.util.TreeMap<>(byKey).entrySet()) {
            List<Operation> ops;
            synchronized (entry.getValue()) {
                ops = List.copyOf(entry.getValue());
            }
            operations += ops.size();
            Linearizability.Result result = checker.check(ops);
            switch (result.verdict()) {
                case NOT_LINEARIZABLE -> {
                    bad.add(entry.getKey());
                    if (firstOffender == null) {
                        firstOffender = describe(entry.getKey(), ops);
                    }
                }
                case TOO_LARGE -> tooLarge.add(entry.getKey() + " (" + ops.size() + " operations)");
                case LINEARIZABLE -> { }
            }
        }
        return new Summary(byKey.size() - tooLarge.size(), bad, tooLarge, operations, firstOffender);
    }

    private static String describe(String key, List<Operation> ops) {
        StringBuilder out = new StringBuilder("history of ").append(key).append(", by invocation (ns):\n");
        ops.stream().sorted(java.util.Comparator.comparingLong(Operation::invoked))
                .forEach(op -> out.append("  ").append(op).append('\n'));
        return out.toString();
    }
}
