package io.hybridstore.storagenode.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Walks the valid records of a segment. Where a header does not verify (a torn append, or damage), the scan
 * resyncs: it searches forward for the next position holding the record magic followed by a header whose CRC
 * verifies, so one damaged header costs only its own record instead of the rest of the segment.
 *
 * <p>A resync can in principle land on a valid-looking header inside the data of the damaged record (a blob whose
 * bytes contain a record with a matching header CRC). That needs the damage to hit exactly such a record, and the
 * data CRC of every blob is still verified on read.
 */
final class RecordScanner {

    private static final int CHUNK = 64 * 1024;

    /** Bytes the scan could not read as records: from {@code offset}, {@code length} bytes. */
    record Skipped(long offset, long length) {
    }

    private RecordScanner() {
    }

    /** Hands every valid record of the first {@code size} bytes to {@code each}; returns the ranges skipped. */
    static List<Skipped> scan(FileChannel channel, long size, Consumer<RecordFormat.Header> each) throws IOException {
        List<Skipped> skipped = new ArrayList<>();
        long offset = 0;
        while (offset < size) {
            var header = RecordFormat.read(channel, offset, size);
            if (header.isPresent()) {
                each.accept(header.get());
                offset += header.get().recordLength();
            } else {
                long next = nextRecord(channel, offset + 1, size);
                skipped.add(new Skipped(offset, next - offset));
                offset = next;
            }
        }
        return skipped;
    }

    /** The first offset at or after {@code from} where a valid record starts, or {@code size} when none does. */
    private static long nextRecord(FileChannel channel, long from, long size) throws IOException {
        byte m0 = (byte) (RecordFormat.MAGIC >>> 24);
        byte m1 = (byte) (RecordFormat.MAGIC >>> 16);
        byte m2 = (byte) (RecordFormat.MAGIC >>> 8);
        byte m3 = (byte) RecordFormat.MAGIC;
        for (long chunkStart = from; chunkStart + RecordFormat.FIXED_HEADER <= size; chunkStart += CHUNK) {
            int length = (int) Math.min(CHUNK + 3L, size - chunkStart);
            ByteBuffer chunk = RecordFormat.readFully(channel, chunkStart, length);
            for (int i = 0; i + 3 < length && i < CHUNK; i++) {
                if (chunk.get(i) == m0 && chunk.get(i + 1) == m1 && chunk.get(i + 2) == m2 && chunk.get(i + 3) == m3
                        && RecordFormat.read(channel, chunkStart + i, size).isPresent()) {
                    return chunkStart + i;
                }
            }
        }
        return size;
    }
}
