package io.hybridstore.storagenode.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    private volatile FileChannel reader;
    private volatile boolean retired;
    private volatile boolean sealed;

    Segment(long id, Path path, long size, boolean sealed) throws IOException {
        this.id = id;
        this.path = path;
        this.size = new AtomicLong(size);
        this.sealed = sealed;
        this.reader = FileChannel.open(path, StandardOpenOption.READ);
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
            reader = FileChannel.open(path, StandardOpenOption.READ);
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
