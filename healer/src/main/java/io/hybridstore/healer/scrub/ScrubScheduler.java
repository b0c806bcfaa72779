package io.hybridstore.healer.scrub;

import io.hybridstore.healer.leadership.Abdication;
import io.hybridstore.healer.leadership.LeaderGate;
import io.hybridstore.healer.leadership.ScheduledRuns;
import io.hybridstore.healer.repair.RepairService;
import io.hybridstore.healer.status.HealerStats;
import io.hybridstore.healer.status.StatsView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The leader's scrub loop, beside the repair passes so that a long, byte-paced scrub never delays the repair of a
 * lost node: a scrub cycle every {@code interval}, each having the nodes read and verify every blob a manifest
 * references, and repairing what does not verify. {@link #requestScrub()} starts a cycle at once and completes
 * when a cycle begun after the request has finished.
 */
@Component
public class ScrubScheduler extends ScheduledRuns<StatsView> {

    private static final Logger log = LoggerFactory.getLogger(ScrubScheduler.class);

    private final RepairService repair;
    private final HealerStats stats;
    private final ScrubProperties properties;
    private final Clock clock;
    /** When the next cycle is due, as etcd last said; null until asked again (after a run or a leader change). */
    private Instant due;

    ScrubScheduler(RepairService repair, LeaderGate gate, Abdication abdication, HealerStats stats,
                   ScrubProperties properties, Clock clock) {
        super("healer-scrub", "Scrub cycle", gate, abdication, stats);
        this.repair = repair;
        this.stats = stats;
        this.properties = properties;
        this.clock = clock;
    }

    /** Completes with the counters once a scrub cycle started after this call has finished. */
    public CompletableFuture<StatsView> requestScrub() {
        return request();
    }

    @Override
    protected boolean due() {
        if (due == null) {
            due = repair.nextScrubDue(properties.interval());
        }
        return !clock.instant().isBefore(due);
    }

    @Override
    protected boolean run() throws InterruptedException {
        due = null;
        return runCycle();
    }

    @Override
    protected StatsView report() {
        return stats.view();
    }

    @Override
    protected void reset() {
        due = null;
    }

    private boolean runCycle() throws InterruptedException {
        stats.scrubStarted();
        log.info("Scrub cycle started: every blob is read and verified on its node, at most {}/s",
                properties.bytesPerSecond());
        try {
            if (!repair.scrub()) {
                stats.scrubAbandoned();
                return false;
            }
        } catch (RuntimeException e) {
            stats.scrubAbandoned();
            throw e;
        }
        HealerStats.ScrubRecord done = stats.scrubFinished();
        log.info("Scrub cycle {} finished: {} objects, {} bytes verified, {} found damaged", done.number(),
                done.objectsVerified(), done.bytesVerified(), done.damaged());
        return true;
    }
}
