package io.hybridstore.erasure;

/** One way of multiplying shards by a GF(256) matrix; every kernel must produce the same bytes as {@link ScalarKernel}. */
interface GfKernel {

    /** {@code matrix} is row-major, {@code rows} x {@code cols}; the kernel copies what it keeps. */
    ShardMultiplier compile(byte[] matrix, int rows, int cols);

    /** What a log line at start-up should say about this kernel. */
    String description();
}
