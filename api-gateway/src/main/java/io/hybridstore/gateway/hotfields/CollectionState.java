package io.hybridstore.gateway.hotfields;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What etcd holds per collection ({@code collections/<name>/hot-fields}): the fields learned hot, the summed totals
 * the last decision was made at (the next window is what was counted since), how many windows were decided, and the
 * operator's overrides. Changed only by a transaction conditional on the revision it was read at, so of gateways
 * deciding the same window at once one wins and the others read its result.
 *
 * @param pin      always hot in this collection, learned or not
 * @param neverHot never learned hot here (the configured hot fields stay hot)
 */
record CollectionState(Counts decidedAt, int windows, Map<String, Learned> learned, List<String> pin,
                       List<String> neverHot) {

    /**
     * A field learned hot.
     *
     * @param since        when it became hot (epoch ms)
     * @param ratio        the share of the last window's overwrites that changed it
     * @param meanSize     its values' mean size in bytes over the last window it was seen in
     * @param quietWindows windows in a row since it last changed
     */
    record Learned(long since, double ratio, double meanSize, int quietWindows) {
    }

    CollectionState {
        learned = Map.copyOf(learned);
        pin = List.copyOf(pin);
        neverHot = List.copyOf(neverHot);
    }

    static CollectionState initial() {
        return new CollectionState(Counts.empty(), 0, Map.of(), List.of(), List.of());
    }

    /** The fields this collection's field_hybrid writes replicate. */
    Set<String> hotSet(Set<String> configured) {
        Set<String> hot = new LinkedHashSet<>(configured);
        hot.addAll(pin);
        learned.keySet().stream().filter(field -> !neverHot.contains(field)).forEach(hot::add);
        return Set.copyOf(hot);
    }

    CollectionState withOverrides(List<String> newPin, List<String> newNeverHot) {
        return new CollectionState(decidedAt, windows, learned, newPin, newNeverHot);
    }

    /**
     * The state after the window that {@code totals} closes, or empty while fewer than {@code window} overwrites
     * were counted since the last decision. A field is promoted when it changed in at least {@code promote-ratio}
     * of the window and its values were small enough; a learned field is demoted only after
     * {@code demote-after-windows} windows in a row without a change, so that a field changing in bursts does not
     * flap between the parts (each flip costs every object one cold rewrite).
     */
    Optional<CollectionState> decide(Counts totals, LearningProperties settings, Set<String> configured, long now) {
        Counts window = totals.minus(decidedAt);
        if (window.overwrites() < settings.window()) {
            return Optional.empty();
        }
        Map<String, Learned> next = new TreeMap<>();
        learned.forEach((field, before) -> {
            long changes = window.changes(field);
            double mean = window.meanSize(field) < 0 ? before.meanSize() : window.meanSize(field);
            if (changes > 0) {
                next.put(field, new Learned(before.since(), (double) changes / window.overwrites(), mean, 0));
            } else if (before.quietWindows() + 1 < settings.demoteAfterWindows()) {
                next.put(field, new Learned(before.since(), 0, mean, before.quietWindows() + 1));
            }
        });
        window.fields().keySet().stream().sorted()
                .filter(field -> !next.containsKey(field) && !learned.containsKey(field))
                .filter(field -> !configured.contains(field) && !neverHot.contains(field))
                .forEach(field -> {
                    double ratio = (double) window.changes(field) / window.overwrites();
                    double mean = window.meanSize(field);
                    if (ratio >= settings.promoteRatio() && mean >= 0 && mean <= settings.maxHotFieldBytes().toBytes()
                            && next.size() < settings.maxFields()) {
                        next.put(field, new Learned(now, ratio, mean, 0));
                    }
                });
        return Optional.of(new CollectionState(totals, windows + 1, next, pin, neverHot));
    }
}
