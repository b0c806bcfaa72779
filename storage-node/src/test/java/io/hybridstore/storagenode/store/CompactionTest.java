package io.hybridstore.storagenode.store;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.node.BlobCheck;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Compaction and recovery over damaged record headers, and the reclaiming of delete markers. */
class CompactionTest {

    private static final int BLOB = 1000;
    private static final long SEGMENT = 4096;

    @TempDir
    Path dir;

    private final List<BlobStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() throws IOException {
        for (BlobStore store : opened) {
            store.close();
        }
    }

    private StoreConfig config() {
        return new StoreConfig(dir, Durability.SYNC, 1024, 64 << 20, 1, 64, SEGMENT);
    }

    private BlobStore open() throws IOException {
        BlobStore store = BlobStore.open(config(), Clock.systemUTC(), new SimpleMeterRegistry());
        opened.add(store);
        return store;
    }

    private BlobStore reopen(BlobStore store) throws IOException {
        store.close();
        opened.remove(store);
        return open();
    }

    private static String name(int i) {
        return "blob-%03d".formatted(i);
    }

    private static byte[] content(int i) {
        byte[] data = new byte[BLOB];
        Arrays.fill(data, (byte) ('a' + i % 26));
        data[0] = (byte) i;
        return data;
    }

    /** 40 blobs over ten segments, three of every four deleted: every sealed segment is mostly garbage. */
    private BlobStore storeWithGarbage() throws IOException {
        BlobStore store = open();
        for (int i = 0; i < 40; i++) {
            store.put(new BlobId(name(i)), content(i), OptionalLong.empty());
        }
        for (int i = 0; i < 40; i++) {
            if (i % 4 != 0) {
                store.delete(new BlobId(name(i)), true);
            }
        }
        return store;
    }

    private static Optional<byte[]> read(BlobStore store, int i) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> store.get(new BlobId(name(i))),
                "reading " + name(i));
    }

    @Test
    void compactionAfterADamagedHeaderKeepsEveryLiveBlobReadable() throws IOException {
        BlobStore store = storeWithGarbage();
        damageHeaderOf(name(0));

        store.compactNow();

        for (int i = 0; i < 40; i += 4) {
            byte[] expected = content(i);
            assertThat(read(store, i)).as(name(i)).hasValueSatisfying(d -> assertThat(d).isEqualTo(expected));
        }
        List<BlobId> live = IntStream.range(0, 10).mapToObj(i -> new BlobId(name(i * 4))).toList();
        assertThat(store.check(live, Map.of(), false).intact()).hasSize(10);
    }

    @Test
    void afterCompactionAndRestartOnlyTheBlobWithTheDamagedHeaderIsMissing() throws IOException {
        BlobStore store = storeWithGarbage();
        damageHeaderOf(name(0));
        store.compactNow();

        BlobStore reopened = reopen(store);

        for (int i = 4; i < 40; i += 4) {
            byte[] expected = content(i);
            assertThat(read(reopened, i)).as(name(i)).hasValueSatisfying(d -> assertThat(d).isEqualTo(expected));
        }
        for (int i = 0; i < 40; i++) {
            if (i % 4 != 0) {
                assertThat(read(reopened, i)).as("deleted " + name(i) + " stays deleted").isEmpty();
            }
        }
        BlobCheck check = reopened.check(List.of(new BlobId(name(0))), Map.of(), false);
        assertThat(check.missing()).as("reported missing, so the healer repairs it").containsExactly(name(0));
    }

    @Test
    void recoveryResyncsPastADamagedHeaderToTheRecordsAfterIt() throws IOException {
        BlobStore store = open();
        for (int i = 0; i < 3; i++) {
            store.put(new BlobId(name(i)), content(i), OptionalLong.empty());
        }
        store.close();
        opened.remove(store);
        damageHeaderOf(name(1));

        BlobStore reopened = open();

        assertThat(reopened.get(new BlobId(name(0)))).hasValueSatisfying(d -> assertThat(d).isEqualTo(content(0)));
        assertThat(reopened.get(new BlobId(name(1)))).isEmpty();
        assertThat(reopened.get(new BlobId(name(2)))).hasValueSatisfying(d -> assertThat(d).isEqualTo(content(2)));
    }

    @Test
    void deleteMarkersAreReclaimedSoDiskUseFollowsTheLiveBytes() throws IOException {
        BlobStore store = open();
        int keys = 6;
        int cycles = 100;
        // Like the gateway's overwrites: each version of a key is a new blob and the previous one is deleted.
        for (int c = 0; c < cycles; c++) {
            for (int k = 0; k < keys; k++) {
                store.put(new BlobId("k" + k + "-v" + c), content(k), OptionalLong.empty());
                if (c > 0) {
                    store.delete(new BlobId("k" + k + "-v" + (c - 1)), true);
                }
            }
            store.compactNow();
        }
        store = reopen(store);
        for (int pass = 0; pass < 5; pass++) {
            store.compactNow();
        }

        long live = keys * (long) RecordFormat.recordLength("k0-v" + (cycles - 1), BLOB);
        assertThat(totalSegmentBytes()).as("segment bytes for %d live bytes", live).isLessThanOrEqualTo(2 * live);
        for (int k = 0; k < keys; k++) {
            assertThat(store.get(new BlobId("k" + k + "-v" + (cycles - 1)))).isPresent();
            assertThat(store.get(new BlobId("k" + k + "-v" + (cycles - 2)))).isEmpty();
        }
        assertThat(reopen(store).list(null, 100).blobs()).hasSize(keys);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }

    private long totalSegmentBytes() throws IOException {
        long total = 0;
        for (Path segment : segments()) {
            total += Files.size(segment);
        }
        return total;
    }

    /** Flips a byte of the sequence number in the header of the record of blob {@code id}. */
    private void damageHeaderOf(String id) throws IOException {
        byte[] needle = id.getBytes(StandardCharsets.US_ASCII);
        for (Path segment : segments()) {
            byte[] file = Files.readAllBytes(segment);
            for (int at = RecordFormat.FIXED_HEADER; at + needle.length <= file.length; at++) {
                if (Arrays.equals(file, at, at + needle.length, needle, 0, needle.length)
                        && ByteBuffer.wrap(file, at - RecordFormat.FIXED_HEADER, 4).getInt() == RecordFormat.MAGIC
                        && file[at - RecordFormat.FIXED_HEADER + 4] == RecordFormat.PUT) {
                    int seqByte = at - RecordFormat.FIXED_HEADER + 12;
                    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                        channel.write(ByteBuffer.wrap(new byte[] {(byte) ~file[seqByte]}), seqByte);
                    }
                    return;
                }
            }
        }
        throw new AssertionError("no put record of " + id + " in any segment");
    }
}
