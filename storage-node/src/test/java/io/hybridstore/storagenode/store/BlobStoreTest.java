package io.hybridstore.storagenode.store;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.BlobCheck;
import io.hybridstore.common.node.BlobPage;
import io.hybridstore.common.node.BlobStat;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final List<BlobStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() throws IOException {
        for (BlobStore store : opened) {
            store.close();
        }
    }

    private StoreConfig config(Durability durability, int capacity, long maxBytes, int workers, long segmentSize) {
        return new StoreConfig(dir, durability, capacity, maxBytes, workers, 64, segmentSize);
    }

    private StoreConfig syncConfig() {
        return config(Durability.SYNC, 1024, 64 << 20, 2, 128 << 20);
    }

    private BlobStore open(StoreConfig config) throws IOException {
        BlobStore store = BlobStore.open(config, CLOCK, new SimpleMeterRegistry());
        opened.add(store);
        return store;
    }

    /** A store whose workers have not started: everything submitted stays queued until {@code start()}. */
    private BlobStore paused(StoreConfig config) throws IOException {
        BlobStore store = BlobStore.create(config, CLOCK, new SimpleMeterRegistry());
        opened.add(store);
        return store;
    }

    private BlobStore reopen(BlobStore store, StoreConfig config) throws IOException {
        store.close();
        opened.remove(store);
        return open(config);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static BlobId id(String s) {
        return new BlobId(s);
    }

    @Test
    void storedBlobReadsBackWithItsLengthAndCrc() throws IOException {
        BlobStore store = open(syncConfig());
        byte[] data = bytes("hello blob");

        StoredBlob stored = store.put(id("a"), data, OptionalLong.of(Checksums.crc32c(data)));

        assertThat(stored).isEqualTo(new StoredBlob("a", data.length, Checksums.crc32c(data)));
        assertThat(store.get(id("a"))).hasValueSatisfying(d -> assertThat(d).isEqualTo(data));
        assertThat(store.stat(id("a"))).hasValue(new BlobStat("a", data.length, Checksums.crc32c(data),
                CLOCK.millis()));
    }

    @Test
    void putWithWrongDeclaredCrcIsRefusedAndNothingIsStored() throws IOException {
        BlobStore store = open(syncConfig());

        assertThatThrownBy(() -> store.put(id("a"), bytes("x"), OptionalLong.of(1)))
                .isInstanceOf(ChecksumMismatchException.class);
        assertThat(store.get(id("a"))).isEmpty();
    }

    @Test
    void severalQueuedBlobsShareOneFsync() throws Exception {
        StoreConfig config = config(Durability.SYNC, 1024, 64 << 20, 1, 128 << 20);
        BlobStore store = paused(config);
        long fsyncsBefore = store.stats().fsyncs();
        List<CompletableFuture<Void>> acks = IntStream.range(0, 40)
                .mapToObj(i -> store.submitPut("blob-" + i, bytes("data " + i), Checksums.crc32c(bytes("data " + i))))
                .toList();

        store.start();
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get();

        assertThat(store.stats().fsyncs() - fsyncsBefore).isEqualTo(1);
        assertThat(store.stats().queueDepth()).isZero();
    }

    @Test
    void fullQueueRefusesAtOnceByCountAndByBytes() throws IOException {
        BlobStore byCount = paused(config(Durability.SYNC, 2, 1 << 20, 1, 128 << 20));
        byCount.submitPut("a", bytes("1"), Checksums.crc32c(bytes("1")));
        byCount.submitPut("b", bytes("2"), Checksums.crc32c(bytes("2")));

        assertThatThrownBy(() -> byCount.submitPut("c", bytes("3"), Checksums.crc32c(bytes("3"))))
                .isInstanceOf(QueueFullException.class);
        assertThat(byCount.stats().queueDepth()).isEqualTo(2);
        byCount.close();
        opened.remove(byCount);

        Files.delete(dir.resolve("LOCK"));
        BlobStore byBytes = paused(config(Durability.SYNC, 100, 10, 1, 128 << 20));
        byBytes.submitPut("a", new byte[8], Checksums.crc32c(new byte[8]));
        assertThatThrownBy(() -> byBytes.submitPut("b", new byte[8], Checksums.crc32c(new byte[8])))
                .isInstanceOf(QueueFullException.class);
    }

    @Test
    void queuedBlobIsReadableBeforeItIsWritten() throws IOException {
        BlobStore store = paused(syncConfig());
        store.submitPut("q", bytes("queued"), Checksums.crc32c(bytes("queued")));

        assertThat(store.get(id("q"))).hasValueSatisfying(d -> assertThat(d).isEqualTo(bytes("queued")));
        assertThat(store.list(null, 10).blobs()).extracting(BlobStat::id).containsExactly("q");
        assertThat(store.check(List.of(id("q")), Map.of(), true).intact()).containsExactly("q");
    }

    @Test
    void blobDeletedWhileQueuedIsNotResurrectedByTheFlushNorByRecovery() throws Exception {
        StoreConfig config = syncConfig();
        BlobStore store = paused(config);
        CompletableFuture<Void> put = store.submitPut("gone", bytes("v1"), Checksums.crc32c(bytes("v1")));
        CompletableFuture<Void> delete = store.submitDelete("gone", true);

        store.start();
        CompletableFuture.allOf(put, delete).get();

        assertThat(store.get(id("gone"))).isEmpty();
        assertThat(reopen(store, config).get(id("gone"))).isEmpty();
    }

    @Test
    void deletedBlobStaysDeletedAfterRestart() throws IOException {
        StoreConfig config = syncConfig();
        BlobStore store = open(config);
        store.put(id("d"), bytes("doomed"), OptionalLong.empty());
        store.put(id("k"), bytes("kept"), OptionalLong.empty());
        store.delete(id("d"), true);
        store.delete(id("never-existed"), true);

        BlobStore reopened = reopen(store, config);

        assertThat(reopened.get(id("d"))).isEmpty();
        assertThat(reopened.get(id("k"))).hasValueSatisfying(d -> assertThat(d).isEqualTo(bytes("kept")));
    }

    @Test
    void deleteNotAwaitedDurableIsGoneAtOnceAndAfterAnOrderlyRestart() throws IOException {
        StoreConfig config = syncConfig();
        BlobStore store = open(config);
        store.put(id("lazy"), bytes("garbage"), OptionalLong.empty());

        store.delete(id("lazy"), false);

        assertThat(store.get(id("lazy"))).isEmpty();
        assertThat(store.list(null, 10).blobs()).isEmpty();
        assertThat(reopen(store, config).get(id("lazy"))).isEmpty();
    }

    @Test
    void putOfAnExistingIdReplacesItAlsoAfterRestart() throws IOException {
        StoreConfig config = syncConfig();
        BlobStore store = open(config);
        store.put(id("r"), bytes("old"), OptionalLong.empty());
        store.put(id("r"), bytes("new"), OptionalLong.empty());

        assertThat(store.get(id("r"))).hasValueSatisfying(d -> assertThat(d).isEqualTo(bytes("new")));
        assertThat(reopen(store, config).get(id("r"))).hasValueSatisfying(d -> assertThat(d).isEqualTo(bytes("new")));
    }

    @Test
    void flippedByteReadsAsMissingIsCountedAndCheckReportsItCorrupt() throws IOException {
        BlobStore store = open(syncConfig());
        byte[] data = bytes("precious-content-0123456789");
        store.put(id("c"), data, OptionalLong.empty());
        store.put(id("ok"), bytes("fine"), OptionalLong.empty());

        flipFirstByteOf(data);

        assertThat(store.get(id("c"))).isEmpty();
        assertThat(store.stats().corruptReads()).isEqualTo(1);
        BlobCheck check = store.check(List.of(id("c"), id("ok"), id("absent")), Map.of(), true);
        assertThat(check).isEqualTo(new BlobCheck(List.of("ok"), List.of("absent"), List.of("c")));
        assertThat(store.check(List.of(id("c"), id("ok"), id("absent")), Map.of(), false))
                .as("without verification only presence is known, and the rot goes unnoticed")
                .isEqualTo(new BlobCheck(List.of("c", "ok"), List.of("absent"), List.of()));
        store.put(id("c"), data, OptionalLong.empty());
        assertThat(store.get(id("c"))).as("a re-copy by the healer repairs it").isPresent();
    }

    @Test
    void tornTailFromACrashIsIgnoredAndEarlierBlobsSurvive() throws IOException {
        StoreConfig config = config(Durability.SYNC, 1024, 64 << 20, 1, 128 << 20);
        BlobStore store = open(config);
        store.put(id("before"), bytes("survives"), OptionalLong.empty());
        store.close();
        opened.remove(store);
        Path segment = segments().filter(p -> sizeOf(p) > 0).findFirst().orElseThrow();
        ByteBuffer torn = RecordFormat.header(RecordFormat.PUT, 99, 0, "torn", 1000, 0);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.APPEND)) {
            channel.write(torn);
            channel.write(ByteBuffer.wrap(bytes("only part of the data")));
        }

        BlobStore reopened = open(config);

        assertThat(reopened.get(id("before"))).hasValueSatisfying(d -> assertThat(d).isEqualTo(bytes("survives")));
        assertThat(reopened.stat(id("torn"))).isEmpty();
    }

    @Test
    void leftoverTempFilesAreDeletedOnStart() throws IOException {
        Files.writeString(dir.resolve("segment-00000000000000000007.log.tmp"), "half-written compaction");

        open(syncConfig());

        assertThat(dir.resolve("segment-00000000000000000007.log.tmp")).doesNotExist();
    }

    @Test
    void secondStoreOnTheSameDirectoryIsRefused() throws IOException {
        open(syncConfig());

        assertThatThrownBy(() -> BlobStore.open(syncConfig(), CLOCK, new SimpleMeterRegistry()))
                .isInstanceOf(IOException.class).hasMessageContaining("in use");
    }

    @Test
    void listingPagesInIdOrder() throws IOException {
        BlobStore store = open(syncConfig());
        for (String s : List.of("c", "a", "e", "b", "d")) {
            store.put(id(s), bytes(s), OptionalLong.empty());
        }

        BlobPage first = store.list(null, 2);
        BlobPage second = store.list(first.next(), 2);
        BlobPage last = store.list(second.next(), 2);

        assertThat(first.blobs()).extracting(BlobStat::id).containsExactly("a", "b");
        assertThat(second.blobs()).extracting(BlobStat::id).containsExactly("c", "d");
        assertThat(last.blobs()).extracting(BlobStat::id).containsExactly("e");
        assertThat(last.next()).isNull();
    }

    @Test
    void compactionReclaimsDeletedBlobsAndKeepsLiveOnesAcrossRestart() throws IOException {
        StoreConfig config = config(Durability.SYNC, 1024, 64 << 20, 1, 4096);
        BlobStore store = open(config);
        byte[] big = new byte[1000];
        for (int i = 0; i < 40; i++) {
            big[0] = (byte) i;
            store.put(id("b" + i), big.clone(), OptionalLong.empty());
        }
        for (int i = 0; i < 40; i++) {
            if (i % 4 != 0) {
                store.delete(id("b" + i), true);
            }
        }
        long before = totalSegmentBytes();

        assertThat(store.compactNow()).isNotEmpty();

        assertThat(totalSegmentBytes()).isLessThan(before / 2);
        BlobStore reopened = reopen(store, config);
        for (int i = 0; i < 40; i++) {
            assertThat(reopened.get(id("b" + i)).isPresent()).as("b" + i + " present").isEqualTo(i % 4 == 0);
        }
        assertThat(reopened.get(id("b8"))).hasValueSatisfying(d -> assertThat(d[0]).isEqualTo((byte) 8));
    }

    @Test
    void asyncDurabilityAcknowledgesBeforeTheWrite() throws IOException {
        BlobStore store = paused(config(Durability.ASYNC, 1024, 64 << 20, 1, 128 << 20));
        long fsyncs = store.stats().fsyncs();

        store.put(id("fast"), bytes("acked at once"), OptionalLong.empty());

        assertThat(store.stats().queueDepth()).isEqualTo(1);
        assertThat(store.stats().fsyncs()).isEqualTo(fsyncs);
        assertThat(store.get(id("fast"))).isPresent();
    }

    private Stream<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList().stream();
        }
    }

    private long totalSegmentBytes() throws IOException {
        return segments().mapToLong(BlobStoreTest::sizeOf).sum();
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Simulates bit rot: flips the first byte of the only occurrence of {@code content} in the segments. */
    private void flipFirstByteOf(byte[] content) throws IOException {
        for (Path segment : segments().toList()) {
            byte[] file = Files.readAllBytes(segment);
            int at = indexOf(file, content);
            if (at >= 0) {
                try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.wrap(new byte[] {(byte) ~file[at]}), at);
                }
                return;
            }
        }
        throw new AssertionError("content not found in any segment");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
