package io.hybridstore.storagenode.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** The store's counters, kept both for {@code /info} and as Micrometer meters for {@code /actuator/prometheus}. */
final class StoreMetrics {

    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    private final LongAdder fsyncs = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder corruptReads = new LongAdder();
    private final Timer fsyncTimer;
    private final Counter bytesCounter;
    private final Counter corruptCounter;
    private final Counter ioErrorCounter;
    private final Counter skippedCounter;

    StoreMetrics(MeterRegistry registry) {
        this.fsyncTimer = Timer.builder("hybridstore.storage.fsync")
                .description("fsync/fdatasync calls on segment files and the data directory")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        this.bytesCounter = Counter.builder("hybridstore.storage.bytes.written")
                .description("record bytes appended to segments, compaction copies included")
                .baseUnit("bytes").register(registry);
        this.corruptCounter = Counter.builder("hybridstore.storage.corrupt.reads")
                .description("reads whose data did not match its stored CRC32C and were answered as missing")
                .register(registry);
        this.ioErrorCounter = Counter.builder("hybridstore.storage.io.errors")
                .description("I/O failures of the data directory").register(registry);
        this.skippedCounter = Counter.builder("hybridstore.storage.recovery.skipped")
                .description("segment bytes recovery and compaction could not read as valid records")
                .baseUnit("bytes").register(registry);
    }

    void timeFsync(IoAction action) throws IOException {
        long start = System.nanoTime();
        try {
            action.run();
        } finally {
            fsyncTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            fsyncs.increment();
        }
    }

    void written(long bytes) {
        bytesWritten.add(bytes);
        bytesCounter.increment(bytes);
    }

    void corruptRead() {
        corruptReads.increment();
        corruptCounter.increment();
    }

    void recoverySkipped(long bytes) {
        skippedCounter.increment(bytes);
    }

    void ioError() {
        ioErrorCounter.increment();
    }

    long fsyncs() {
        return fsyncs.sum();
    }

    long bytesWritten() {
        return bytesWritten.sum();
    }

    long corruptReads() {
        return corruptReads.sum();
    }
}
