package io.hybridstore.storagenode.store;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.BlobCheck;
import io.hybridstore.common.node.BlobPage;
import io.hybridstore.common.node.BlobStat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The blobs of one data directory: a log-structured store of append-only segment files, an in-memory index of
 * where each blob's current version is, a bounded write queue and the I/O workers that group-commit it.
 *
 * <p>A put is acknowledged once its batch is durable (or at once with {@link Durability#ASYNC}). Until then it is
 * served from memory. Every read verifies the blob's CRC32C; a blob that does not verify is answered as missing and
 * counted. Thread-safe.
 */
public final class BlobStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BlobStore.class);
    private static final long COMPACTION_INTERVAL_SECONDS = 30;

    private final StoreConfig config;
    private final Clock clock;
    private final StoreMetrics metrics;
    private final SegmentFiles files;
    private final BlobIndex index;
    private final DiskHealth health;
    private final WriteQueue queue;
    private final Compactor compactor;
    private final List<Thread> workers = new ArrayList<>();
    private final ScheduledExecutorService compactions;

    private BlobStore(StoreConfig config, Clock clock, MeterRegistry registry, FileIo io) throws IOException {
        this.config = config;
        this.clock = clock;
        this.metrics = new StoreMetrics(registry);
        this.health = new DiskHealth(metrics);
        this.index = new BlobIndex();
        this.files = SegmentFiles.open(config.dataDir(), metrics, io);
        try {
            long maxSeq = Recovery.recover(files, index, metrics);
            this.queue = new WriteQueue(config.queueCapacity(), config.queueMaxBytes(), maxSeq + 1);
            for (int i = 0; i < config.ioWorkers(); i++) {
                IoWorker worker = new IoWorker(queue, files, index, health, metrics, config);
                workers.add(Thread.ofPlatform().name("blob-writer-" + i).unstarted(worker));
            }
        } catch (IOException | RuntimeException e) {
            // Releases the directory lock, so a later attempt in this process can open it.
            files.close();
            throw e;
        }
        this.compactor = new Compactor(files, index, health, metrics);
        this.compactions = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("segment-compactor").daemon().factory());
        Gauge.builder("hybridstore.storage.queue.depth", queue, WriteQueue::depth)
                .description("writes accepted but not yet durable").register(registry);
        Gauge.builder("hybridstore.storage.blobs", index, BlobIndex::count).register(registry);
        Gauge.builder("hybridstore.storage.blob.bytes", index, BlobIndex::bytes).baseUnit("bytes").register(registry);
    }

    /** Opens (recovering) the data directory and starts the I/O workers and the compactor. */
    public static BlobStore open(StoreConfig config, Clock clock, MeterRegistry registry) throws IOException {
        return open(config, clock, registry, FileIo.REAL);
    }

    static BlobStore open(StoreConfig config, Clock clock, MeterRegistry registry, FileIo io) throws IOException {
        BlobStore store = new BlobStore(config, clock, registry, io);
        store.start();
        return store;
    }

    /** Opens the store without starting its workers: writes queue up until {@link #start()}. */
    static BlobStore create(StoreConfig config, Clock clock, MeterRegistry registry) throws IOException {
        return new BlobStore(config, clock, registry, FileIo.REAL);
    }

    void start() {
        workers.forEach(Thread::start);
        compactions.scheduleWithFixedDelay(compactor::compactOnce, COMPACTION_INTERVAL_SECONDS,
                COMPACTION_INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Stores {@code data} as blob {@code id}, replacing any blob of that id.
     *
     * @param declaredCrc32c the sender's CRC32C of the body, when it sent one
     * @throws ChecksumMismatchException when the body does not match {@code declaredCrc32c}
     * @throws QueueFullException when the write queue is at its bound
     * @throws NotAcceptingWritesException when the disk failed or the store is closing
     */
    public StoredBlob put(BlobId id, byte[] data, OptionalLong declaredCrc32c) {
        long crc = Checksums.crc32c(data);
        if (declaredCrc32c.isPresent() && declaredCrc32c.getAsLong() != crc) {
            throw new ChecksumMismatchException(id.value(), declaredCrc32c.getAsLong(), crc);
        }
        CompletableFuture<Void> durable = submitPut(id.value(), data, crc);
        if (config.durability() == Durability.SYNC) {
            await(durable);
        }
        return new StoredBlob(id.value(), data.length, crc);
    }

    CompletableFuture<Void> submitPut(String id, byte[] data, long crc) {
        requireHealthyDisk();
        CompletableFuture<Void> durable = new CompletableFuture<>();
        queue.offer(data.length, seq -> {
            IndexEntry.Pending pending = new IndexEntry.Pending(seq, data, crc, clock.millis());
            index.put(id, pending);
            return new WriteOp.Put(id, pending, durable);
        });
        return durable;
    }

    /**
     * Deletes the blob; deleting an absent blob does nothing. The blob is gone from reads, listings and usage at
     * once either way; with {@code waitDurable} (and {@code durability: sync}) the call also waits until the delete
     * is on disk, like a put. Without, a crash right after may bring the blob back.
     */
    public void delete(BlobId id, boolean waitDurable) {
        CompletableFuture<Void> durable = submitDelete(id.value(), waitDurable);
        if (waitDurable && config.durability() == Durability.SYNC) {
            await(durable);
        }
    }

    CompletableFuture<Void> submitDelete(String id, boolean awaited) {
        // First: after a failed write the index may no longer show a version that is still on disk, so "absent"
        // is only to be trusted on a healthy disk.
        requireHealthyDisk();
        if (index.get(id) == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> durable = new CompletableFuture<>();
        WriteOp op = queue.offer(0, seq -> index.remove(id) == null ? null
                : new WriteOp.Delete(id, seq, clock.millis(), awaited, durable));
        return op == null ? CompletableFuture.completedFuture(null) : durable;
    }

    /** The blob's bytes, verified against its CRC32C; empty when absent or when it does not verify. */
    public Optional<byte[]> get(BlobId id) {
        return read(id.value()) instanceof ReadResult.Intact intact ? Optional.of(intact.data()) : Optional.empty();
    }

    /** Length, CRC32C and creation time as recorded, without reading the data. */
    public Optional<BlobStat> stat(BlobId id) {
        return Optional.ofNullable(index.get(id.value())).map(e -> stat(id.value(), e));
    }

    /** Up to {@code limit} blobs after {@code after} (from the start when null) in id order. */
    public BlobPage list(String after, int limit) {
        List<BlobStat> blobs = new ArrayList<>(Math.min(limit, 1024));
        Iterator<Map.Entry<String, IndexEntry>> it = index.after(after);
        while (it.hasNext() && blobs.size() < limit) {
            Map.Entry<String, IndexEntry> entry = it.next();
            blobs.add(stat(entry.getKey(), entry.getValue()));
        }
        String next = it.hasNext() && !blobs.isEmpty() ? blobs.getLast().id() : null;
        return new BlobPage(blobs, next);
    }

    /**
     * Each blob's state. With {@code verify} every blob is read and checked against its CRC32C (a scrub); without,
     * only the index is consulted (is it here at all), which costs no disk read. A blob whose CRC32C differs from
     * its entry in {@code expectedCrc32c} (what its manifest recorded) is corrupt either way: other bytes stored
     * under its id verify against their own CRC32C but are not the blob.
     */
    public BlobCheck check(List<BlobId> ids, Map<String, Long> expectedCrc32c, boolean verify) {
        List<String> intact = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> corrupt = new ArrayList<>();
        for (BlobId id : ids) {
            ReadResult result = verify ? read(id.value()) : present(id.value());
            Long expected = expectedCrc32c.get(id.value());
            if (result instanceof ReadResult.Intact found && expected != null && found.crc32c() != expected) {
                log.warn("Blob {} is stored with CRC32C {}, its manifest says {}; reporting it corrupt", id.value(),
                        found.crc32c(), expected);
                result = new ReadResult.Corrupt();
            }
            switch (result) {
                case ReadResult.Intact ignored -> intact.add(id.value());
                case ReadResult.Missing ignored -> missing.add(id.value());
                case ReadResult.Corrupt ignored -> corrupt.add(id.value());
            }
        }
        return new BlobCheck(intact, missing, corrupt);
    }

    /** Presence per the index only; the data is not read, so {@link ReadResult.Intact#data} is null. */
    private ReadResult present(String id) {
        IndexEntry entry = index.get(id);
        if (entry == null || entry instanceof IndexEntry.Stored s && s.segment().retired()) {
            return new ReadResult.Missing();
        }
        return new ReadResult.Intact(null, entry.crc32c());
    }

    public StoreStats stats() {
        return new StoreStats(index.count(), index.bytes(), queue.depth(), queue.capacity(), metrics.fsyncs(),
                metrics.bytesWritten(), metrics.corruptReads(), config.durability());
    }

    /** False once an I/O failure marked the data directory bad. */
    public boolean diskHealthy() {
        return health.healthy();
    }

    /** Runs one compaction pass now over the segments that are mostly garbage; returns what it did. */
    List<CompactionResult> compactNow() {
        return compactor.compactOnce();
    }

    /** Compacts every sealed segment now, however little garbage it holds; returns what it did per segment. */
    public List<CompactionResult> compactAll() {
        return compactor.compactAll();
    }

    private sealed interface ReadResult {
        record Intact(byte[] data, long crc32c) implements ReadResult {
        }

        record Missing() implements ReadResult {
        }

        record Corrupt() implements ReadResult {
        }
    }

    private ReadResult read(String id) {
        while (true) {
            IndexEntry entry = index.get(id);
            switch (entry) {
                case null -> {
                    return new ReadResult.Missing();
                }
                case IndexEntry.Pending pending -> {
                    return new ReadResult.Intact(pending.data(), pending.crc32c());
                }
                case IndexEntry.Stored stored -> {
                    byte[] data;
                    try {
                        data = stored.segment().read(stored.dataOffset(), stored.length());
                    } catch (ClosedByInterruptException e) {
                        Thread.currentThread().interrupt();
                        throw new DiskFailureException("interrupted while reading blob " + id, e);
                    } catch (ClosedChannelException e) {
                        if (index.get(id) != stored) {
                            continue; // compaction moved it; the index has its new place
                        }
                        // Points into a deleted segment: the data is gone, so it is missing, and the healer's
                        // presence checks must see that too.
                        index.remove(id, stored);
                        log.warn("Blob {} pointed into retired segment {}; dropped from the index", id, stored.segment());
                        return new ReadResult.Missing();
                    } catch (IOException e) {
                        health.failed("read of blob " + id + " from " + stored.segment(), e);
                        throw new DiskFailureException("reading blob " + id + " failed", e);
                    }
                    if (Checksums.crc32c(data) != stored.crc32c()) {
                        metrics.corruptRead();
                        log.warn("Blob {} in {} at offset {} does not match its CRC32C {}; answering it as missing",
                                id, stored.segment(), stored.dataOffset(), stored.crc32c());
                        return new ReadResult.Corrupt();
                    }
                    return new ReadResult.Intact(data, stored.crc32c());
                }
            }
        }
    }

    private static BlobStat stat(String id, IndexEntry entry) {
        return new BlobStat(id, entry.length(), entry.crc32c(), entry.createdAt());
    }

    private void requireHealthyDisk() {
        if (!health.healthy()) {
            throw new NotAcceptingWritesException("the data directory failed: " + health.failure());
        }
    }

    private static void await(CompletableFuture<Void> durable) {
        try {
            durable.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotAcceptingWritesException("interrupted before the write was durable; it may or may not be");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("unexpected failure of a queued write", e.getCause());
        }
    }

    /** Stops accepting writes, makes everything queued durable, and closes the segments. */
    @Override
    public void close() throws IOException {
        queue.close();
        compactions.shutdown();
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("Interrupted while waiting for the I/O workers to drain the write queue");
                break;
            }
        }
        try {
            compactions.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        files.close();
        log.info("Blob store {} closed", files.dir());
    }
}
