package io.hybridstore.storagenode.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reclaims the space of deleted and overwritten blobs: a sealed segment that is mostly garbage has its live records
 * copied into a new segment, which is written as a temp file, fsynced, atomically renamed into place and made
 * durable with a directory fsync before the old segment is deleted. A crash at any point leaves either the old
 * segment or both; both is harmless because copies keep their sequence numbers and recovery picks one per id.
 *
 * <p>A tombstone is copied as long as some other segment may still hold an older put of its id (any segment with a
 * smaller sequence number); dropping it earlier would let recovery resurrect the deleted blob.
 */
final class Compactor {

    private static final Logger log = LoggerFactory.getLogger(Compactor.class);
    private static final double MAX_LIVE_RATIO = 0.5;

    private final SegmentFiles files;
    private final BlobIndex index;
    private final DiskHealth health;
    private final StoreMetrics metrics;

    Compactor(SegmentFiles files, BlobIndex index, DiskHealth health, StoreMetrics metrics) {
        this.files = files;
        this.index = index;
        this.health = health;
        this.metrics = metrics;
    }

    /** Compacts every sealed segment that is at least half garbage; returns how many it compacted. */
    int compactOnce() {
        int compacted = 0;
        for (Segment segment : files.snapshot()) {
            if (!health.healthy()) {
                break;
            }
            if (segment.sealed() && segment.size() > 0 && segment.liveBytes() < segment.size() * MAX_LIVE_RATIO) {
                try {
                    compact(segment);
                    compacted++;
                } catch (IOException e) {
                    health.failed("compaction of " + segment, e);
                }
            }
        }
        return compacted;
    }

    private record Move(String id, IndexEntry.Stored from, long newDataOffset) {
    }

    private void compact(Segment old) throws IOException {
        SegmentFiles.TempSegment temp = files.createTemp();
        List<Move> moves = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        long keptTombstoneBytes = 0;
        long written = 0;
        try (FileChannel out = FileChannel.open(temp.path(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            FileChannel in = old.readChannel();
            long offset = 0;
            Optional<RecordFormat.Header> next;
            while ((next = RecordFormat.read(in, offset, old.size())).isPresent()) {
                RecordFormat.Header h = next.get();
                offset += h.recordLength();
                boolean keep;
                if (h.type() == RecordFormat.PUT) {
                    IndexEntry current = index.get(h.id());
                    keep = current instanceof IndexEntry.Stored s && s.segment() == old
                            && s.dataOffset() == h.dataOffset();
                    if (keep) {
                        moves.add(new Move(h.id(), (IndexEntry.Stored) current,
                                written + (h.dataOffset() - h.recordOffset())));
                    }
                } else {
                    keep = olderRecordsMayExist(h.seq(), old);
                    keptTombstoneBytes += keep ? h.recordLength() : 0;
                }
                if (keep) {
                    transferFully(in, h.recordOffset(), h.recordLength(), out);
                    written += h.recordLength();
                    seqs.add(h.seq());
                }
            }
            metrics.timeFsync(() -> out.force(false));
        }
        metrics.written(written);
        Segment target = files.publish(temp);
        seqs.forEach(target::sawSeq);
        target.addLive(keptTombstoneBytes);
        int moved = 0;
        for (Move move : moves) {
            // Fails when the blob was deleted or replaced meanwhile; the copy is then garbage in the new segment.
            moved += index.replace(move.id(), move.from(), move.from().movedTo(target, move.newDataOffset())) ? 1 : 0;
        }
        files.delete(old);
        log.info("Compacted {} ({} bytes) into {} ({} bytes, {} live blobs)", old, old.size(), target, written, moved);
    }

    private boolean olderRecordsMayExist(long seq, Segment except) {
        return files.all().stream().anyMatch(s -> s != except && s.minSeq() < seq);
    }

    private static void transferFully(FileChannel in, long position, long length, FileChannel out) throws IOException {
        long done = 0;
        while (done < length) {
            done += in.transferTo(position + done, length - done, out);
        }
    }
}
