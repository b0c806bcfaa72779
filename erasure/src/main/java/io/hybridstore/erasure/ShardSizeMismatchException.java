package io.hybridstore.erasure;

/** The shards of one stripe differ in size; usually a truncated or foreign blob was passed in. */
public final class ShardSizeMismatchException extends ErasureException {

    private final int shard;
    private final long expected;
    private final long actual;

    public ShardSizeMismatchException(int shard, long expected, long actual) {
        super("shard " + shard + " has " + actual + " bytes, expected " + expected);
        this.shard = shard;
        this.expected = expected;
        this.actual = actual;
    }

    public int shard() {
        return shard;
    }

    public long expected() {
        return expected;
    }

    public long actual() {
        return actual;
    }
}
