package io.hybridstore.healer.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything the healer counts, kept once and shown twice: as Micrometer meters ({@code /actuator/prometheus}) and in
 * {@code GET /status}. The counters are cumulative over this process's life, leader or not.
 */
@Component
public class HealerStats {

    private final Clock clock;
    private final Counter objectsScanned;
    private final Counter degradedFound;
    private final Counter objectsRepaired;
    private final Counter blobsRepaired;
    private final Counter repairConflicts;
    private final Counter bytesReadForRepair;
    private final Counter checkRequests;
    private final Counter hintsProcessed;
    private final Counter intentsRolledBack;
    private final Counter intentsSettled;
    private final Counter blobsCollected;
    private final Counter bytesCollected;
    private final Counter objectsVerified;
    private final Counter bytesVerified;
    private final Counter logRecordsSkipped;
    private final Counter manifestsUnreadable;
    private final Counter loopErrors;
    private final AtomicLong passesCompleted = new AtomicLong();
    private final AtomicReference<PassRecord> lastPass = new AtomicReference<>();
    private final AtomicReference<PassRecord> currentPass = new AtomicReference<>();
    private final AtomicLong scrubsCompleted = new AtomicLong();
    private final AtomicLong gcCandidates = new AtomicLong();
    private final AtomicReference<ScrubRecord> lastScrub = new AtomicReference<>();
    private final AtomicReference<ScrubRecord> currentScrub = new AtomicReference<>();

    public HealerStats(MeterRegistry meters, Clock clock) {
        this.clock = clock;
        objectsScanned = counter(meters, "objects.scanned", "Manifests examined by repair scans");
        degradedFound = counter(meters, "objects.degraded", "Manifests found with a missing, corrupt or absent blob");
        objectsRepaired = counter(meters, "objects.repaired", "Manifests brought back to full redundancy");
        blobsRepaired = counter(meters, "blobs.repaired", "Replicas and shards written by repairs");
        repairConflicts = counter(meters, "repair.conflicts", "Repairs dropped because the manifest changed meanwhile");
        bytesReadForRepair = counter(meters, "repair.bytes.read", "Blob bytes downloaded to rebuild replicas and shards");
        checkRequests = counter(meters, "check.requests", "Batch integrity checks sent to storage nodes");
        hintsProcessed = counter(meters, "hints.processed", "Keys gateways reported after a degraded read, looked at");
        intentsRolledBack = counter(meters, "intents.rolled.back", "Stalled write intents aborted and their blobs deleted");
        intentsSettled = counter(meters, "intents.settled", "Stalled intents found committed and closed");
        blobsCollected = counter(meters, "blobs.collected", "Unreferenced blobs deleted by garbage collection");
        bytesCollected = counter(meters, "bytes.collected", "Bytes freed by garbage collection");
        objectsVerified = counter(meters, "scrub.objects.verified", "Manifests whose blobs the nodes read and verified");
        bytesVerified = counter(meters, "scrub.bytes.verified", "Stored bytes read and verified by scrubs");
        logRecordsSkipped = counter(meters, "log.records.skipped", "Intent log records that could not be read, skipped");
        manifestsUnreadable = counter(meters, "manifests.unreadable", "Manifests in etcd that could not be read, skipped");
        loopErrors = counter(meters, "loop.errors", "Unexpected failures of a background loop, retried");
        Gauge.builder("hybridstore.healer.passes.completed", passesCompleted, AtomicLong::get)
                .description("Full repair + garbage collection passes finished").register(meters);
        Gauge.builder("hybridstore.healer.scrubs.completed", scrubsCompleted, AtomicLong::get)
                .description("Scrub cycles finished").register(meters);
        Gauge.builder("hybridstore.healer.gc.candidates", gcCandidates, AtomicLong::get)
                .description("Blobs seen unreferenced, collected once seen so for the grace period").register(meters);
    }

    private static Counter counter(MeterRegistry meters, String name, String description) {
        return Counter.builder("hybridstore.healer." + name).description(description).register(meters);
    }

    /** One full pass: when it started and ended (null while running) and what it saw. */
    public record PassRecord(long number, Instant started, Instant finished, long objectsScanned, long degraded,
                             long repaired, long collected, boolean gcRan) {
    }

    public long passStarted() {
        long number = passesCompleted.get() + 1;
        currentPass.set(new PassRecord(number, clock.instant(), null, 0, 0, 0, 0, false));
        return number;
    }

    public void passFinished(boolean gcRan) {
        PassRecord current = currentPass.getAndSet(null);
        if (current != null) {
            lastPass.set(new PassRecord(current.number(), current.started(), clock.instant(), current.objectsScanned(),
                    current.degraded(), current.repaired(), current.collected(), gcRan));
            passesCompleted.incrementAndGet();
        }
    }

    public void passAbandoned() {
        currentPass.set(null);
    }

    public void scanned(int objects) {
        objectsScanned.increment(objects);
        currentPass.updateAndGet(p -> p == null ? null : new PassRecord(p.number(), p.started(), null,
                p.objectsScanned() + objects, p.degraded(), p.repaired(), p.collected(), false));
    }

    /** A manifest found needing repair, by the scrub ({@code verifying}) or by the repair scan or a hint. */
    public void degraded(boolean verifying) {
        degradedFound.increment();
        if (verifying) {
            currentScrub.updateAndGet(s -> s == null ? null : new ScrubRecord(s.number(), s.started(), null,
                    s.objectsVerified(), s.bytesVerified(), s.damaged() + 1));
        } else {
            currentPass.updateAndGet(p -> p == null ? null : new PassRecord(p.number(), p.started(), null,
                    p.objectsScanned(), p.degraded() + 1, p.repaired(), p.collected(), false));
        }
    }

    /** One scrub cycle: when it started and ended (null while running), what it verified and found damaged. */
    public record ScrubRecord(long number, Instant started, Instant finished, long objectsVerified,
                              long bytesVerified, long damaged) {
    }

    public void scrubStarted() {
        currentScrub.set(new ScrubRecord(scrubsCompleted.get() + 1, clock.instant(), null, 0, 0, 0));
    }

    /** Records the running cycle as the last one and returns it. */
    public ScrubRecord scrubFinished() {
        ScrubRecord current = currentScrub.getAndSet(null);
        ScrubRecord finished = new ScrubRecord(current.number(), current.started(), clock.instant(),
                current.objectsVerified(), current.bytesVerified(), current.damaged());
        lastScrub.set(finished);
        scrubsCompleted.incrementAndGet();
        return finished;
    }

    public void scrubAbandoned() {
        currentScrub.set(null);
    }

    public void verified(int objects, long bytes) {
        objectsVerified.increment(objects);
        bytesVerified.increment(bytes);
        currentScrub.updateAndGet(s -> s == null ? null : new ScrubRecord(s.number(), s.started(), null,
                s.objectsVerified() + objects, s.bytesVerified() + bytes, s.damaged()));
    }

    public void repaired(int blobs) {
        objectsRepaired.increment();
        blobsRepaired.increment(blobs);
        currentPass.updateAndGet(p -> p == null ? null : new PassRecord(p.number(), p.started(), null,
                p.objectsScanned(), p.degraded(), p.repaired() + 1, p.collected(), false));
    }

    public void collected(long bytes) {
        blobsCollected.increment();
        bytesCollected.increment(bytes);
        currentPass.updateAndGet(p -> p == null ? null : new PassRecord(p.number(), p.started(), null,
                p.objectsScanned(), p.degraded(), p.repaired(), p.collected() + 1, false));
    }

    public void repairConflict() {
        repairConflicts.increment();
    }

    public void bytesRead(long bytes) {
        bytesReadForRepair.increment(bytes);
    }

    public void checkSent() {
        checkRequests.increment();
    }

    public void hintProcessed() {
        hintsProcessed.increment();
    }

    public void rolledBack() {
        intentsRolledBack.increment();
    }

    public void settled() {
        intentsSettled.increment();
    }

    public void gcCandidates(int blobs) {
        gcCandidates.set(blobs);
    }

    public void logRecordSkipped() {
        logRecordsSkipped.increment();
    }

    public void manifestUnreadable() {
        manifestsUnreadable.increment();
    }

    public void loopError() {
        loopErrors.increment();
    }

    public long passesCompleted() {
        return passesCompleted.get();
    }

    public StatsView view() {
        return new StatsView(passesCompleted.get(), lastPass.get(), currentPass.get(),
                (long) objectsScanned.count(), (long) degradedFound.count(), (long) objectsRepaired.count(),
                (long) blobsRepaired.count(), (long) repairConflicts.count(), (long) bytesReadForRepair.count(),
                (long) checkRequests.count(), (long) hintsProcessed.count(), (long) intentsRolledBack.count(), (long) intentsSettled.count(),
                (long) blobsCollected.count(), (long) bytesCollected.count(), scrubsCompleted.get(), lastScrub.get(),
                currentScrub.get(), (long) objectsVerified.count(), (long) bytesVerified.count(),
                (long) logRecordsSkipped.count(), (long) manifestsUnreadable.count(), (long) loopErrors.count(),
                gcCandidates.get());
    }
}
