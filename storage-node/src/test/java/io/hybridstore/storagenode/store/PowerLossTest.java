package io.hybridstore.storagenode.store;

import io.hybridstore.common.blob.BlobId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Power loss, simulated: the store's file I/O goes through {@link PowerLossFileIo}, the power is cut at every
 * change to the disk in turn — during segment creation, appends, sealing, compaction's copy, rename and deletion,
 * and during the recovery of a restart — and the store is restarted on what a disk would have kept. Unlike a
 * SIGKILL, which leaves the page cache to finish every write, this loses whatever was not forced or synced.
 */
class PowerLossTest {

    private static final long SEGMENT = 2048;

    @TempDir
    Path root;

    /** What was acknowledged: the blob's bytes, or empty for an acknowledged delete. */
    private record Acked(Map<String, Optional<byte[]>> state) {
    }

    @Test
    void everyAcknowledgedPutAndDeleteSurvivesPowerLossAtAnyPointInSyncMode() throws IOException {
        long operations = operationsOfOneRun(Durability.SYNC);
        for (long cut = 1; cut <= operations; cut++) {
            List<String> lost = runAndCut(Durability.SYNC, cut, root.resolve("sync-" + cut));
            assertThat(lost).as("acknowledged writes lost with the power cut at disk operation %d of %d", cut,
                    operations).isEmpty();
        }
    }

    /** The same check catches a store that acknowledges before forcing: async mode is that store. */
    @Test
    void theSameCheckDetectsLossOfAcknowledgedWritesInAsyncMode() throws IOException {
        long operations = operationsOfOneRun(Durability.ASYNC);
        boolean detected = false;
        for (long cut = 1; cut <= operations && !detected; cut++) {
            detected = !runAndCut(Durability.ASYNC, cut, root.resolve("async-" + cut)).isEmpty();
        }
        assertThat(detected).as("an acknowledged write lost at some cut point").isTrue();
    }

    private long operationsOfOneRun(Durability durability) throws IOException {
        Path dir = Files.createDirectories(root.resolve("count-" + durability));
        PowerLossFileIo io = new PowerLossFileIo(dir, Long.MAX_VALUE);
        BlobStore store = BlobStore.open(config(dir, durability), Clock.systemUTC(), new SimpleMeterRegistry(), io);
        workload(store, new HashMap<>());
        store.close();
        long operations = io.operations();
        assertThat(operations).isPositive();
        return operations;
    }

    /**
     * Runs the workload with the power cut at disk operation {@code cut}, restarts on what survived (with the power
     * cut again early in that restart's recovery, then a clean restart), and returns the acknowledged writes that
     * did not survive.
     */
    private List<String> runAndCut(Durability durability, long cut, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Optional<byte[]>> acked = new HashMap<>();
        PowerLossFileIo io = new PowerLossFileIo(dir, cut);
        try {
            BlobStore store = BlobStore.open(config(dir, durability), Clock.systemUTC(), new SimpleMeterRegistry(), io);
            workload(store, acked);
            io.cutPower();
            store.close();
        } catch (IOException poweredOffWhileOpening) {
            // nothing was acknowledged
        }
        io.restoreDurableState();

        PowerLossFileIo recovering = new PowerLossFileIo(dir, 1 + cut % 4);
        try {
            BlobStore.open(config(dir, durability), Clock.systemUTC(), new SimpleMeterRegistry(), recovering).close();
        } catch (IOException expected) {
            // the power went during recovery
        }
        recovering.restoreDurableState();

        List<String> lost = new ArrayList<>();
        try (BlobStore restarted = BlobStore.open(config(dir, durability), Clock.systemUTC(), new SimpleMeterRegistry())) {
            acked.forEach((id, expected) -> {
                Optional<byte[]> found = restarted.get(new BlobId(id));
                boolean same = expected.isEmpty() ? found.isEmpty()
                        : found.isPresent() && Arrays.equals(found.get(), expected.get());
                if (!same) {
                    lost.add(id + (expected.isEmpty() ? " (deleted, came back)" : " (put, gone)"));
                }
            });
        }
        return lost;
    }

    /**
     * Puts that fill and seal several small segments, durable deletes, a compaction that rewrites and renames, and
     * more writes after it. Only what the store acknowledged is recorded; after the power is gone every call fails.
     */
    private static void workload(BlobStore store, Map<String, Optional<byte[]>> acked) {
        for (int i = 0; i < 24; i++) {
            put(store, acked, "blob-" + i, i);
        }
        for (int i = 0; i < 24; i++) {
            if (i % 3 != 0) {
                delete(store, acked, "blob-" + i);
            }
        }
        store.compactNow();
        for (int i = 0; i < 6; i++) {
            put(store, acked, "blob-" + i, 100 + i);
            put(store, acked, "after-" + i, 200 + i);
        }
        delete(store, acked, "blob-3");
        store.compactNow();
    }

    private static void put(BlobStore store, Map<String, Optional<byte[]>> acked, String id, int seed) {
        byte[] data = new byte[300];
        Arrays.fill(data, (byte) seed);
        try {
            store.put(new BlobId(id), data, OptionalLong.empty());
            acked.put(id, Optional.of(data));
        } catch (RuntimeException notAcknowledged) {
            acked.remove(id); // its fate is unknown: it may or may not have reached the disk
        }
    }

    private static void delete(BlobStore store, Map<String, Optional<byte[]>> acked, String id) {
        try {
            store.delete(new BlobId(id), true);
            acked.put(id, Optional.empty());
        } catch (RuntimeException notAcknowledged) {
            acked.remove(id);
        }
    }

    private static StoreConfig config(Path dir, Durability durability) {
        return new StoreConfig(dir, durability, 1024, 64 << 20, 1, 64, SEGMENT);
    }
}
