package io.hybridstore.common.placement;

/** Fewer live storage nodes than a placement needs; a write cannot even start. */
public final class InsufficientNodesException extends RuntimeException {

    private final int needed;
    private final int available;

    public InsufficientNodesException(int needed, int available) {
        super("placement needs " + needed + " distinct live storage nodes, " + available + " available");
        this.needed = needed;
        this.available = available;
    }

    public int needed() {
        return needed;
    }

    public int available() {
        return available;
    }
}
