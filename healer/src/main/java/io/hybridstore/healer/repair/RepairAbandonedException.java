package io.hybridstore.healer.repair;

/** A repair could not be completed this time (sources unreadable, leadership lost); the next pass retries. */
final class RepairAbandonedException extends RuntimeException {

    private final boolean notLeader;

    RepairAbandonedException(String message, boolean notLeader) {
        super(message);
        this.notLeader = notLeader;
    }

    boolean notLeader() {
        return notLeader;
    }
}
