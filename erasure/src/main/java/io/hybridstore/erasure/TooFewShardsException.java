package io.hybridstore.erasure;

/** Fewer than k shards survive, so the stripe cannot be rebuilt; the data is lost unless more shards turn up. */
public final class TooFewShardsException extends ErasureException {

    private final int needed;
    private final int present;

    public TooFewShardsException(int needed, int present) {
        super("need at least " + needed + " shards to reconstruct, have " + present);
        this.needed = needed;
        this.present = present;
    }

    public int needed() {
        return needed;
    }

    public int present() {
        return present;
    }
}
