package io.hybridstore.storagenode.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Rebuilds the index from the segments at start-up. Per blob id the record with the highest sequence number wins,
 * whatever segment it is in; a winning tombstone means the blob is gone. Scanning a segment stops at the first
 * record that is not whole and valid (a torn append from a crash, or damage): what follows was never acknowledged
 * (torn tail) or cannot be trusted. Data CRCs are not checked here but on every read.
 */
final class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private record Latest(Segment segment, RecordFormat.Header header) {
    }

    private Recovery() {
    }

    /** Fills {@code index} and returns the highest sequence number found (0 for an empty directory). */
    static long recover(SegmentFiles files, BlobIndex index) throws IOException {
        Map<String, Latest> latest = new HashMap<>();
        long maxSeq = 0;
        long records = 0;
        for (Segment segment : files.all()) {
            long offset = 0;
            long size = segment.size();
            Optional<RecordFormat.Header> next;
            while ((next = RecordFormat.read(segment.readChannel(), offset, size)).isPresent()) {
                RecordFormat.Header header = next.get();
                segment.sawSeq(header.seq());
                maxSeq = Math.max(maxSeq, header.seq());
                records++;
                Latest current = latest.get(header.id());
                if (current == null || current.header().seq() < header.seq()) {
                    latest.put(header.id(), new Latest(segment, header));
                }
                offset += header.recordLength();
            }
            if (offset < size) {
                log.warn("Ignoring {} bytes at offset {} of {}: not a whole valid record (torn write from a crash,"
                        + " or damage)", size - offset, offset, segment);
            }
        }
        for (Map.Entry<String, Latest> entry : latest.entrySet()) {
            RecordFormat.Header h = entry.getValue().header();
            if (h.type() == RecordFormat.PUT) {
                index.put(entry.getKey(), new IndexEntry.Stored(h.seq(), entry.getValue().segment(), h.dataOffset(),
                        h.dataLength(), h.dataCrc32c(), h.createdAt(), h.recordLength()));
            }
        }
        log.info("Recovered {} blobs ({} bytes) from {} records in {} segments", index.count(), index.bytes(),
                records, files.all().size());
        return maxSeq;
    }
}
