package io.hybridstore.erasure;

import java.lang.foreign.MemorySegment;

/**
 * A coefficient matrix compiled for one backend: {@code outputs[r] = sum over c of matrix[r][c] * inputs[c]}, byte by
 * byte in GF(256). Outputs are overwritten, must not overlap inputs, and every segment holds at least {@code length}
 * bytes from offset 0. Implementations are immutable and safe to share between threads.
 */
interface ShardMultiplier {

    void multiply(MemorySegment[] inputs, MemorySegment[] outputs, int length);
}
