package io.hybridstore.storagenode.store;

/** Where the current version of a blob is: still queued in memory, or in a segment. */
sealed interface IndexEntry {

    long seq();

    int length();

    long crc32c();

    long createdAt();

    /**
     * Accepted, not yet written. Reads are served from {@code data}. Compared by identity of {@code data}, so a
     * flush can tell whether the entry it wrote is still the current one.
     */
    record Pending(long seq, byte[] data, long crc32c, long createdAt) implements IndexEntry {

        @Override
        public int length() {
            return data.length;
        }
    }

    /** Written to {@code segment}; the data starts at {@code dataOffset}, the record takes {@code recordLength}. */
    record Stored(long seq, Segment segment, long dataOffset, int length, long crc32c, long createdAt,
                  long recordLength) implements IndexEntry {

        Stored movedTo(Segment target, long newDataOffset) {
            return new Stored(seq, target, newDataOffset, length, crc32c, createdAt, recordLength);
        }
    }
}
