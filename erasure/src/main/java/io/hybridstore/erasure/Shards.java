package io.hybridstore.erasure;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** Checks the caller's shards and views them as equally sized segments, without copying any bytes. */
final class Shards {

    private Shards() {
    }

    static MemorySegment[] of(byte[][] shards, int total, int offset, int length) {
        checkCount(shards.length, total);
        for (int i = 0; i < total; i++) {
            if (shards[i] == null) {
                throw new IllegalArgumentException("shard " + i + " is null");
            }
        }
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset " + offset + " or length " + length);
        }
        MemorySegment[] segments = new MemorySegment[total];
        for (int i = 0; i < total; i++) {
            if ((long) offset + length > shards[i].length) {
                throw new ShardSizeMismatchException(i, (long) offset + length, shards[i].length);
            }
            segments[i] = MemorySegment.ofArray(shards[i]).asSlice(offset, length);
        }
        return segments;
    }

    static MemorySegment[] of(ByteBuffer[] shards, int total) {
        checkCount(shards.length, total);
        MemorySegment[] segments = new MemorySegment[total];
        for (int i = 0; i < total; i++) {
            if (shards[i] == null) {
                throw new IllegalArgumentException("shard " + i + " is null");
            }
            segments[i] = MemorySegment.ofBuffer(shards[i]);
        }
        return of(segments, total);
    }

    static MemorySegment[] of(MemorySegment[] shards, int total) {
        checkCount(shards.length, total);
        for (int i = 0; i < total; i++) {
            if (shards[i] == null) {
                throw new IllegalArgumentException("shard " + i + " is null");
            }
            if (shards[i].byteSize() != shards[0].byteSize()) {
                throw new ShardSizeMismatchException(i, shards[0].byteSize(), shards[i].byteSize());
            }
        }
        if (shards[0].byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shards above 2 GiB are not supported: " + shards[0].byteSize());
        }
        return shards.clone();
    }

    /** The shards about to be written must accept writes; failing midway would leave some of them half-written. */
    static void checkWritable(MemorySegment[] segments, int from, int to, boolean[] present) {
        for (int i = from; i < to; i++) {
            if ((present == null || !present[i]) && segments[i].isReadOnly()) {
                throw new IllegalArgumentException("shard " + i + " must be written but is read-only");
            }
        }
    }

    static void checkPresent(boolean[] present, int total) {
        checkCount(present.length, total);
    }

    /** Size of every shard, equal across the present ones; -1 when none is present. */
    static int sizeOfPresent(byte[][] shards, int total) {
        checkCount(shards.length, total);
        int size = -1;
        for (int i = 0; i < total; i++) {
            if (shards[i] != null) {
                if (size < 0) {
                    size = shards[i].length;
                } else if (shards[i].length != size) {
                    throw new ShardSizeMismatchException(i, size, shards[i].length);
                }
            }
        }
        return size;
    }

    private static void checkCount(int actual, int total) {
        if (actual != total) {
            throw new IllegalArgumentException("expected " + total + " shards, got " + actual);
        }
    }
}
