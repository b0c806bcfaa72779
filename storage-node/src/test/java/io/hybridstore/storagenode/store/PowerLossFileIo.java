package io.hybridstore.storagenode.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A file system that can lose power. It works on a real directory, and remembers what a disk would have kept: per
 * file the bytes as of its last {@code force}, and for the directory the entries as of its last sync. Once
 * {@link #cutPower} is called (or the planned number of operations is reached) every further operation fails, as
 * the dead machine's would; {@link #restoreDurableState} then rewrites the directory to what survived, for a
 * restart.
 */
final class PowerLossFileIo implements FileIo {

    /** One file (an inode): its content as of the last force. */
    private static final class Inode {
        byte[] durable = new byte[0];
    }

    private final Path dir;
    private final Map<String, Inode> current = new HashMap<>();
    private final Map<String, Inode> durableEntries = new HashMap<>();
    private final long cutAfter;
    private long operations;
    private boolean dead;

    /** Power is cut when operation {@code cutAfter} (1-based) is attempted; {@link Long#MAX_VALUE} for never. */
    PowerLossFileIo(Path dir, long cutAfter) throws IOException {
        this.dir = dir.toAbsolutePath().normalize();
        this.cutAfter = cutAfter;
        try (var entries = Files.list(this.dir)) {
            for (Path entry : entries.toList()) {
                Inode inode = new Inode();
                inode.durable = Files.readAllBytes(entry);
                current.put(entry.getFileName().toString(), inode);
            }
        }
        durableEntries.putAll(current);
    }

    synchronized long operations() {
        return operations;
    }

    synchronized boolean dead() {
        return dead;
    }

    synchronized void cutPower() {
        dead = true;
    }

    /** Replaces the directory's content with what a disk would have kept. The store must be closed. */
    synchronized void restoreDurableState() throws IOException {
        dead = true;
        try (var entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                Files.delete(entry);
            }
        }
        for (Map.Entry<String, Inode> entry : durableEntries.entrySet()) {
            Files.write(dir.resolve(entry.getKey()), entry.getValue().durable);
        }
    }

    /** A change to the disk: one of the points at which the power may go. */
    private synchronized void step(String what) throws IOException {
        if (!dead && ++operations >= cutAfter) {
            dead = true;
        }
        alive(what);
    }

    private synchronized void alive(String what) throws IOException {
        if (dead) {
            throw new IOException("power lost (at " + what + ")");
        }
    }

    private String name(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (!dir.equals(absolute.getParent())) {
            throw new IllegalArgumentException("outside the simulated directory: " + path);
        }
        return absolute.getFileName().toString();
    }

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        Set<OpenOption> set = Set.of(options);
        if (set.contains(StandardOpenOption.WRITE)) {
            step("open " + path.getFileName());
        } else {
            alive("open " + path.getFileName());
        }
        FileChannel real = FileChannel.open(path, options);
        synchronized (this) {
            Inode inode = current.get(name(path));
            if (inode == null || set.contains(StandardOpenOption.CREATE_NEW)) {
                inode = new Inode();
                current.put(name(path), inode);
            }
            // A second descriptor on the same inode: force reads back what it made durable, whatever the file's
            // name is by then.
            FileChannel reader = set.contains(StandardOpenOption.WRITE) ? FileChannel.open(path) : real;
            return new Channel(real, reader, inode);
        }
    }

    @Override
    public long size(Path path) throws IOException {
        alive("size");
        return Files.size(path);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        alive("list");
        try (var entries = Files.list(dir)) {
            return entries.toList();
        }
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        step("move " + from.getFileName());
        FileIo.REAL.move(from, to);
        synchronized (this) {
            current.put(name(to), current.remove(name(from)));
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        step("delete " + path.getFileName());
        Files.deleteIfExists(path);
        synchronized (this) {
            current.remove(name(path));
        }
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        step("directory sync");
        synchronized (this) {
            durableEntries.clear();
            durableEntries.putAll(current);
        }
    }

    /** A real channel whose every operation counts, fails once the power is off, and whose force is remembered. */
    private final class Channel extends FileChannel {

        private final FileChannel real;
        private final FileChannel reader;
        private final Inode inode;

        Channel(FileChannel real, FileChannel reader, Inode inode) {
            this.real = real;
            this.reader = reader;
            this.inode = inode;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            alive("read");
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            alive("read");
            return real.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            step("write");
            return real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            step("write");
            return real.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            step("truncate");
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            step("force");
            real.force(metaData);
            ByteBuffer content = ByteBuffer.allocate((int) real.size());
            while (content.hasRemaining() && reader.read(content, content.position()) >= 0) {
                // positional reads until the whole file is in
            }
            synchronized (PowerLossFileIo.this) {
                inode.durable = content.array();
            }
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            alive("transfer");
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, Math.max(0, real.size() - position)));
            real.read(buffer, position);
            buffer.flip();
            return target.write(buffer);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            step("transfer");
            return real.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            alive("read");
            return real.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            step("write");
            return real.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException("the store does not map files");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
            reader.close();
        }
    }
}
