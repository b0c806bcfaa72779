package io.hybridstore.gateway.write;

import java.util.Map;

/** Fewer blobs were acknowledged than the write quorum needs; says which nodes failed and why. */
public final class QuorumException extends RuntimeException {

    private final int needed;
    private final int got;
    private final int total;
    private final Map<String, String> causes;

    public QuorumException(int needed, int got, int total, Map<String, String> causes) {
        super("write quorum not reached: " + got + " of " + total + " blobs acknowledged, " + needed
                + " needed; failures: " + causes);
        this.needed = needed;
        this.got = got;
        this.total = total;
        this.causes = Map.copyOf(causes);
    }

    public int needed() {
        return needed;
    }

    public int got() {
        return got;
    }

    public int total() {
        return total;
    }

    public Map<String, String> causes() {
        return causes;
    }
}
