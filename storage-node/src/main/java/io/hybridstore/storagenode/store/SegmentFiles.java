package io.hybridstore.storagenode.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The segment files of a data directory and every file-system operation on them. File names are made here from
 * numbers only; no request ever contributes to a path. {@link #resolve} still refuses any name that would land
 * outside the data directory, as a second line of defence.
 */
final class SegmentFiles implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SegmentFiles.class);
    private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{20})\\.log");
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final StoreMetrics metrics;
    private final FileIo io;

    private SegmentFiles(Path dir, FileChannel lockChannel, FileLock lock, StoreMetrics metrics, FileIo io) {
        this.io = io;
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.metrics = metrics;
    }

    /**
     * Opens the directory for exclusive use (a second process on the same directory would interleave appends),
     * deletes temp files a crash left behind (compaction output that was never renamed, so never referenced) and
     * opens the existing segments.
     */
    static SegmentFiles open(Path dataDir, StoreMetrics metrics, FileIo io) throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        FileChannel lockChannel = io.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("data directory " + dir + " is in use by another storage node");
        }
        SegmentFiles files = new SegmentFiles(dir, lockChannel, lock, metrics, io);
        try {
            files.load();
        } catch (IOException | RuntimeException e) {
            // Or the directory stays locked for this process's next attempt.
            files.close();
            throw e;
        }
        return files;
    }

    private void load() throws IOException {
        for (Path entry : io.list(dir)) {
            String name = entry.getFileName().toString();
            Matcher matcher = SEGMENT.matcher(name);
            if (name.endsWith(TEMP_SUFFIX)) {
                log.info("Deleting leftover temp file {} from an interrupted compaction", entry);
                io.delete(entry);
            } else if (matcher.matches() && io.size(entry) == 0) {
                io.delete(entry);
            } else if (matcher.matches()) {
                long id = Long.parseLong(matcher.group(1));
                segments.put(id, new Segment(id, entry, io.size(entry), true, io));
                nextId.accumulateAndGet(id + 1, Math::max);
            }
        }
        syncDirectory();
    }

    Path dir() {
        return dir;
    }

    Collection<Segment> all() {
        return segments.values();
    }

    List<Segment> snapshot() {
        return new ArrayList<>(segments.values());
    }

    /**
     * A new, empty segment for a writer. The directory is fsynced once here so that the file's name survives a
     * crash; every later append only needs an fdatasync of the file itself.
     */
    ActiveSegment create() throws IOException {
        long id = nextId.getAndIncrement();
        Path path = resolve(name(id));
        FileChannel channel = io.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        syncDirectory();
        Segment segment = new Segment(id, path, 0, false, io);
        segments.put(id, segment);
        return new ActiveSegment(segment, channel);
    }

    /** A temp file for compaction output; {@link #publish} renames it into a segment once it is durable. */
    TempSegment createTemp() throws IOException {
        long id = nextId.getAndIncrement();
        Path temp = resolve(name(id) + TEMP_SUFFIX);
        io.delete(temp);
        return new TempSegment(id, temp);
    }

    /** Opens a new temp file for writing compaction output. */
    FileChannel openTemp(TempSegment temp) throws IOException {
        return io.open(temp.path(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /**
     * Atomic rename of durable compaction output into place, then a directory fsync so the rename itself survives a
     * crash before the old segment is deleted.
     */
    Segment publish(TempSegment temp) throws IOException {
        Path path = resolve(name(temp.id()));
        io.move(temp.path(), path);
        syncDirectory();
        Segment segment = new Segment(temp.id(), path, io.size(path), true, io);
        segments.put(temp.id(), segment);
        return segment;
    }

    /** Removes compaction output that turned out to hold nothing worth keeping. */
    void deleteTemp(TempSegment temp) throws IOException {
        io.delete(temp.path());
    }

    /** Removes a segment whose live records have all been copied elsewhere. */
    void delete(Segment segment) throws IOException {
        segments.remove(segment.id());
        segment.retire();
        io.delete(segment.path());
        syncDirectory();
    }

    void syncDirectory() throws IOException {
        metrics.timeFsync(() -> io.syncDirectory(dir));
    }

    Path resolve(String name) {
        Path path = dir.resolve(name).normalize();
        if (!path.startsWith(dir) || path.equals(dir)) {
            throw new IllegalArgumentException("refusing a path outside the data directory: " + name);
        }
        return path;
    }

    /** A segment a writer appends to through its own channel. */
    record ActiveSegment(Segment segment, FileChannel channel) {
    }

    /** Compaction output before it is durable and renamed into place. */
    record TempSegment(long id, Path path) {
    }

    private static String name(long id) {
        return "segment-%020d.log".formatted(id);
    }

    @Override
    public void close() throws IOException {
        for (Segment segment : segments.values()) {
            segment.retire();
        }
        lock.release();
        lockChannel.close();
    }
}
