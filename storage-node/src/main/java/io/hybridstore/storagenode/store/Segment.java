package io.hybridstore.storagenode.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One append-only segment file. Its writer (one I/O worker, or the compactor) appends through its own channel;
 * readers share a separate read channel, which is reopened if a reading thread's interrupt closed it (NIO closes a
 * channel under an interrupted thread) and retired when compaction deletes the segment.
 */
final class Segment {

    private final long id;
    private final Path path;
    private final AtomicLong size;
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong minSeq = new AtomicLong(Long.MAX_VALUE);
    private final Set<String> putIds = ConcurrentHashMap.newKeySet();
    private final Map<String, Marker> markers = new ConcurrentHashMap<>();
    private volatile long stuckAtLiveBytes = -1;
    private volatile FileChannel reader;
    private volatile boolean retired;
    private volatile boolean sealed;

    private final FileIo io;

    Segment(long id, Path path, long size, boolean sealed, FileIo io) throws IOException {
        this.io = io;
        this.id = id;
        this.path = path;
        this.size = new AtomicLong(size);
        this.sealed = sealed;
        this.reader = io.open(path, StandardOpenOption.READ);
    }

    long id() {
        return id;
    }

    Path path() {
        return path;
    }

    long size() {
        return size.get();
    }

    void appended(long bytes) {
        size.addAndGet(bytes);
    }

    /** No writer appends to a sealed segment any more, so compaction may rewrite it. */
    boolean sealed() {
        return sealed;
    }

    void seal() {
        sealed = true;
    }

    long liveBytes() {
        return liveBytes.get();
    }

    void addLive(long delta) {
        liveBytes.addAndGet(delta);
    }

    long minSeq() {
        return minSeq.get();
    }

    void sawSeq(long seq) {
        minSeq.accumulateAndGet(seq, Math::min);
    }

    /** A delete marker in this segment: its sequence number and the bytes its record takes. */
    record Marker(long seq, long recordLength) {
    }

    /** Notes a record of this segment; called before the record is written, so the notes never lag the file. */
    void holds(byte type, String id, long seq, long recordLength) {
        if (type == RecordFormat.PUT) {
            putIds.add(id);
        } else {
            markers.merge(id, new Marker(seq, recordLength), (a, b) -> a.seq() >= b.seq() ? a : b);
        }
    }

    boolean holdsPutOf(String id) {
        return putIds.contains(id);
    }

    Map<String, Marker> markers() {
        return markers;
    }

    /**
     * Compaction could not move every live blob out (a record whose header is damaged cannot be found by a scan),
     * so the segment stays; it is not tried again until one of those blobs is rewritten or deleted.
     */
    void stuckAt(long liveBytes) {
        stuckAtLiveBytes = liveBytes;
    }

    boolean stuck() {
        return stuckAtLiveBytes == liveBytes();
    }

    boolean retired() {
        return retired;
    }

    /**
     * Reads {@code length} bytes at {@code offset}.
     *
     * @throws ClosedChannelException when the segment was retired by compaction; the caller looks the blob up again
     */
    byte[] read(long offset, int length) throws IOException {
        while (true) {
            FileChannel channel = reader;
            try {
                ByteBuffer buffer = RecordFormat.readFully(channel, offset, length);
                return buffer.array();
            } catch (ClosedByInterruptException e) {
                reopen(channel);
                throw e;
            } catch (ClosedChannelException e) {
                if (retired) {
                    throw e;
                }
                reopen(channel);
            }
        }
    }

    FileChannel readChannel() {
        return reader;
    }

    private synchronized void reopen(FileChannel closed) throws IOException {
        if (!retired && reader == closed && !closed.isOpen()) {
            reader = io.open(path, StandardOpenOption.READ);
        }
    }

    synchronized void retire() throws IOException {
        retired = true;
        reader.close();
    }

    @Override
    public String toString() {
        return path.getFileName().toString();
    }
}
