package io.hybridstore.storagenode.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every file-system operation of a store goes through here: the one seam where a test can stand in a file system
 * that forgets, on a simulated power loss, every byte not yet forced and every directory entry not yet synced.
 */
interface FileIo {

    FileChannel open(Path path, OpenOption... options) throws IOException;

    long size(Path path) throws IOException;

    List<Path> list(Path dir) throws IOException;

    /** Atomic rename; durable only after {@link #syncDirectory}. */
    void move(Path from, Path to) throws IOException;

    /** Removes the entry if it exists; durable only after {@link #syncDirectory}. */
    void delete(Path path) throws IOException;

    /** Makes the directory's entries (creations, renames, deletions) durable. */
    void syncDirectory(Path dir) throws IOException;

    FileIo REAL = new FileIo() {
        @Override
        public FileChannel open(Path path, OpenOption... options) throws IOException {
            return FileChannel.open(path, options);
        }

        @Override
        public long size(Path path) throws IOException {
            return Files.size(path);
        }

        @Override
        public List<Path> list(Path dir) throws IOException {
            try (Stream<Path> entries = Files.list(dir)) {
                return entries.toList();
            }
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void delete(Path path) throws IOException {
            Files.deleteIfExists(path);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    };
}
