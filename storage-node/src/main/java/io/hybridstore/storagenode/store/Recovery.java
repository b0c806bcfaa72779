package io.hybridstore.storagenode.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the index from the segments at start-up. Per blob id the record with the highest sequence number wins,
 * whatever segment it is in; a winning tombstone means the blob is gone. Where a record is not whole and valid (a
 * torn append from a crash, or damage) the scan resyncs to the next valid record ({@link RecordScanner}) and logs
 * and counts what it skipped: a torn tail was never acknowledged, and a blob whose header was damaged is then
 * missing here, which the healer's checks see and repair. Data CRCs are not checked here but on every read.
 */
final class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private record Latest(Segment segment, RecordFormat.Header header) {
    }

    private Recovery() {
    }

    /** Fills {@code index} and returns the highest sequence number found (0 for an empty directory). */
    static long recover(SegmentFiles files, BlobIndex index, StoreMetrics metrics) throws IOException {
        Map<String, Latest> latest = new HashMap<>();
        long[] maxSeq = {0};
        long[] records = {0};
        for (Segment segment : files.all()) {
            List<RecordScanner.Skipped> skipped = RecordScanner.scan(segment.readChannel(), segment.size(), header -> {
                segment.sawSeq(header.seq());
                segment.holds(header.type(), header.id(), header.seq(), header.recordLength());
                maxSeq[0] = Math.max(maxSeq[0], header.seq());
                records[0]++;
                Latest current = latest.get(header.id());
                if (current == null || current.header().seq() < header.seq()) {
                    latest.put(header.id(), new Latest(segment, header));
                }
            });
            for (RecordScanner.Skipped s : skipped) {
                metrics.recoverySkipped(s.length());
                log.warn("Skipped {} bytes at offset {} of {}: not a whole valid record (a torn write from a crash at"
                        + " the end of a segment, otherwise damage; the blobs there read as missing until repaired)",
                        s.length(), s.offset(), segment);
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
                records[0], files.all().size());
        return maxSeq[0];
    }
}
