package io.hybridstore.storagenode.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reclaims the space of deleted and overwritten blobs: a sealed segment that is mostly garbage has its live records
 * copied into a new segment, which is written as a temp file, fsynced, atomically renamed into place and made
 * durable with a directory fsync before the old segment is deleted. A crash at any point leaves either the old
 * segment or both; both is harmless because copies keep their sequence numbers and recovery picks one per id.
 *
 * <p>The old segment is deleted only when every live blob in it was moved: the scan resyncs past a damaged record
 * header ({@link RecordScanner}), but the blob of that record cannot be found by scanning, so it keeps being served
 * from the old segment (and a restart, which cannot find it either, reports it missing for the healer to repair).
 *
 * <p>A delete marker is copied only while it still shadows something: while some other segment holds a put of its
 * id (live or not) and no newer version of the id exists. Dropping it earlier would let recovery resurrect the
 * deleted blob; keeping it longer would let markers pile up with every delete ever made.
 */
final class Compactor {

    private static final Logger log = LoggerFactory.getLogger(Compactor.class);
    private static final double MAX_LIVE_RATIO = 0.5;

    private final SegmentFiles files;
    private final BlobIndex index;
    private final DiskHealth health;
    private final StoreMetrics metrics;
    /** The periodic pass and an operator's {@code POST /compact} must not compact the same segment twice at once. */
    private final ReentrantLock running = new ReentrantLock();

    Compactor(SegmentFiles files, BlobIndex index, DiskHealth health, StoreMetrics metrics) {
        this.files = files;
        this.index = index;
        this.health = health;
        this.metrics = metrics;
    }

    /** Compacts every sealed segment that is at least half garbage. */
    List<CompactionResult> compactOnce() {
        return compact(false);
    }

    /** Compacts every sealed segment. */
    List<CompactionResult> compactAll() {
        return compact(true);
    }

    private List<CompactionResult> compact(boolean all) {
        List<CompactionResult> results = new ArrayList<>();
        running.lock();
        try {
            for (Segment segment : files.snapshot()) {
                if (!health.healthy()) {
                    break;
                }
                if (segment.sealed() && segment.size() > 0 && (all || worthCompacting(segment))) {
                    try {
                        results.add(compact(segment));
                    } catch (IOException e) {
                        health.failed("compaction of " + segment, e);
                    }
                }
            }
        } finally {
            running.unlock();
        }
        return results;
    }

    private boolean worthCompacting(Segment segment) {
        if (segment.stuck()) {
            return false;
        }
        long needed = segment.liveBytes();
        for (Map.Entry<String, Segment.Marker> marker : segment.markers().entrySet()) {
            needed += stillShadows(marker.getKey(), marker.getValue(), segment) ? marker.getValue().recordLength() : 0;
        }
        return needed < segment.size() * MAX_LIVE_RATIO;
    }

    private boolean stillShadows(String id, Segment.Marker marker, Segment in) {
        IndexEntry current = index.get(id);
        if (current != null && current.seq() > marker.seq()) {
            return false;
        }
        return files.all().stream().anyMatch(s -> s != in && s.holdsPutOf(id));
    }

    private record Move(String id, IndexEntry.Stored from, long newDataOffset) {
    }

    private CompactionResult compact(Segment old) throws IOException {
        SegmentFiles.TempSegment temp = files.createTemp();
        List<Move> moves = new ArrayList<>();
        List<RecordFormat.Header> kept = new ArrayList<>();
        int[] markers = {0, 0};
        long written = 0;
        List<RecordScanner.Skipped> skipped;
        try (FileChannel out = files.openTemp(temp)) {
            FileChannel in = old.readChannel();
            List<RecordFormat.Header> records = new ArrayList<>();
            skipped = RecordScanner.scan(in, old.size(), records::add);
            for (RecordFormat.Header h : records) {
                boolean keep;
                if (h.type() == RecordFormat.PUT) {
                    keep = index.get(h.id()) instanceof IndexEntry.Stored s && s.segment() == old
                            && s.dataOffset() == h.dataOffset();
                    if (keep) {
                        moves.add(new Move(h.id(), (IndexEntry.Stored) index.get(h.id()),
                                written + (h.dataOffset() - h.recordOffset())));
                    }
                } else {
                    keep = stillShadows(h.id(), new Segment.Marker(h.seq(), h.recordLength()), old);
                    markers[keep ? 0 : 1]++;
                }
                if (keep) {
                    transferFully(in, h.recordOffset(), h.recordLength(), out);
                    written += h.recordLength();
                    kept.add(h);
                }
            }
            metrics.timeFsync(() -> out.force(false));
        }
        skipped.forEach(s -> metrics.recoverySkipped(s.length()));
        Segment target = null;
        int moved = 0;
        if (kept.isEmpty()) {
            files.deleteTemp(temp);
        } else {
            metrics.written(written);
            target = files.publish(temp);
            for (RecordFormat.Header h : kept) {
                target.sawSeq(h.seq());
                target.holds(h.type(), h.id(), h.seq(), h.recordLength());
            }
            for (Move move : moves) {
                // Fails when the blob was deleted or replaced meanwhile; the copy is then garbage in the new segment.
                moved += index.replace(move.id(), move.from(), move.from().movedTo(target, move.newDataOffset())) ? 1 : 0;
            }
        }
        boolean keepOld = old.liveBytes() > 0;
        if (keepOld) {
            old.stuckAt(old.liveBytes());
            log.warn("Kept {} after compacting it: {} live bytes in it could not be moved (records after damage:"
                    + " skipped {})", old, old.liveBytes(), skipped);
        } else {
            files.delete(old);
        }
        log.info("Compacted {} ({} bytes) into {} ({} bytes, {} live blobs, {} markers kept, {} dropped)", old,
                old.size(), target, written, moved, markers[0], markers[1]);
        return new CompactionResult(old.toString(), old.size(), target == null ? null : target.toString(), written,
                moved, markers[0], markers[1], skipped.stream().mapToLong(RecordScanner.Skipped::length).sum(),
                keepOld);
    }

    private static void transferFully(FileChannel in, long position, long length, FileChannel out) throws IOException {
        long done = 0;
        while (done < length) {
            done += in.transferTo(position + done, length - done, out);
        }
    }
}
