package io.hybridstore.gateway.hotfields;

import java.util.HashMap;
import java.util.Map;

/**
 * Overwrites of a collection and, per field, how many of them changed it and the sizes its values had: a gateway's
 * running totals as etcd keeps them, their sum over gateways, or the counts within a window (a difference of
 * totals). Counts only grow, so a difference is never negative unless a gateway's totals were lost.
 *
 * @param fields per field name: {changes, total value bytes, values seen}
 */
record Counts(long overwrites, Map<String, long[]> fields) {

    static Counts empty() {
        return new Counts(0, new HashMap<>());
    }

    Counts plus(Counts other) {
        Map<String, long[]> sum = new HashMap<>();
        fields.forEach((name, c) -> sum.put(name, c.clone()));
        other.fields.forEach((name, c) -> sum.merge(name, c.clone(), Counts::add));
        return new Counts(overwrites + other.overwrites, sum);
    }

    Counts minus(Counts earlier) {
        Map<String, long[]> difference = new HashMap<>();
        fields.forEach((name, c) -> {
            long[] before = earlier.fields.getOrDefault(name, new long[3]);
            difference.put(name, new long[]{Math.max(0, c[0] - before[0]), Math.max(0, c[1] - before[1]),
                    Math.max(0, c[2] - before[2])});
        });
        return new Counts(Math.max(0, overwrites - earlier.overwrites), difference);
    }

    long changes(String field) {
        long[] c = fields.get(field);
        return c == null ? 0 : c[0];
    }

    /** The mean size of the field's values, or -1 when none was seen. */
    double meanSize(String field) {
        long[] c = fields.get(field);
        return c == null || c[2] == 0 ? -1 : (double) c[1] / c[2];
    }

    private static long[] add(long[] a, long[] b) {
        return new long[]{a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }
}
