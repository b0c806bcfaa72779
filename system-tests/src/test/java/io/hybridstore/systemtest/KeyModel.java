package io.hybridstore.systemtest;

import java.util.HashSet;
import java.util.Set;

/**
 * What a key that one client owns may hold now, and whether any write to it was ever acknowledged. The client's
 * operations on it are sequential, so each answer narrows or widens the set of candidates.
 */
final class KeyModel {

    /** One thing a key may hold: a value (by its SHA-256) written with a strategy, or nothing. */
    record Candidate(Workload.Value value, String sha256, String strategy) {

        static final Candidate ABSENT = new Candidate(null, "absent", null);
    }

    enum Outcome { OK, FAILED, TIMED_OUT }

    Set<Candidate> candidates = Set.of(Candidate.ABSENT);
    boolean acknowledgedWrite;

    Candidate definite() {
        return candidates.size() == 1 ? candidates.iterator().next() : null;
    }

    boolean allows(String sha256) {
        return candidates.stream().anyMatch(c -> c.sha256().equals(sha256));
    }

    void settle(Outcome outcome, Candidate attempted) {
        switch (outcome) {
            case OK -> candidates = Set.of(attempted);
            case TIMED_OUT -> {
                Set<Candidate> widened = new HashSet<>(candidates);
                widened.add(attempted);
                candidates = Set.copyOf(widened);
            }
            case FAILED -> { }
        }
    }
}
