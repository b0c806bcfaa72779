package io.hybridstore.healer.pass;

import io.hybridstore.healer.gc.GarbageCollector;
import io.hybridstore.healer.leadership.Abdication;
import io.hybridstore.healer.leadership.LeaderGate;
import io.hybridstore.healer.leadership.ScheduledRuns;
import io.hybridstore.healer.repair.RepairProperties;
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
 * The leader's main loop: every {@code scan-interval}, one full pass — reported keys, the repair scan over every
 * manifest, then garbage collection. Between passes it keeps serving repair hints once a second, so a degraded read
 * is repaired within about a second rather than at the next scan. {@link #requestPass()} starts a pass at once and
 * completes when a pass begun after the request has finished.
 */
@Component
public class PassScheduler extends ScheduledRuns<StatsView> {

    private static final Logger log = LoggerFactory.getLogger(PassScheduler.class);

    private final RepairService repair;
    private final GarbageCollector gc;
    private final HealerStats stats;
    private final RepairProperties properties;
    private final Clock clock;
    private Instant nextPass;

    PassScheduler(RepairService repair, GarbageCollector gc, LeaderGate gate, Abdication abdication,
                  HealerStats stats, RepairProperties properties, Clock clock) {
        super("healer-passes", "Healer pass", gate, abdication, stats);
        this.repair = repair;
        this.gc = gc;
        this.stats = stats;
        this.properties = properties;
        this.clock = clock;
        this.nextPass = clock.instant();
    }

    /** Completes with the counters once a full pass started after this call has finished. */
    public CompletableFuture<StatsView> requestPass() {
        return request();
    }

    @Override
    protected boolean due() {
        return !clock.instant().isBefore(nextPass);
    }

    @Override
    protected void betweenRuns() {
        repair.processHints();
    }

    @Override
    protected boolean run() throws InterruptedException {
        boolean finished = runPass();
        nextPass = clock.instant().plus(properties.scanInterval());
        return finished;
    }

    @Override
    protected StatsView report() {
        return stats.view();
    }

    private boolean runPass() throws InterruptedException {
        long number = stats.passStarted();
        try {
            repair.processHints();
            if (!repair.scan()) {
                stats.passAbandoned();
                return false;
            }
            boolean gcRan = gc.collect();
            stats.passFinished(gcRan);
            log.info("Healer pass {} finished (garbage collection {})", number, gcRan ? "ran" : "skipped");
            return true;
        } catch (RuntimeException e) {
            stats.passAbandoned();
            throw e;
        }
    }
}
