package io.hybridstore.healer.scrub;

import io.hybridstore.common.metadata.MetadataUnavailableException;
import io.hybridstore.common.node.StorageNodeException;
import io.hybridstore.healer.leadership.BackgroundLoop;
import io.hybridstore.healer.leadership.LeaderGate;
import io.hybridstore.healer.leadership.RunRequests;
import io.hybridstore.healer.repair.RepairService;
import io.hybridstore.healer.status.HealerStats;
import io.hybridstore.healer.status.StatsView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The leader's scrub loop, beside the repair passes so that a long, byte-paced scrub never delays the repair of a
 * lost node: a scrub cycle every {@code interval}, each having the nodes read and verify every blob a manifest
 * references, and repairing what does not verify. {@link #requestScrub()} starts a cycle at once and completes
 * when a cycle begun after the request has finished.
 */
@Component
public class ScrubScheduler extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(ScrubScheduler.class);
    private static final Duration TICK = Duration.ofSeconds(1);

    private final RepairService repair;
    private final LeaderGate gate;
    private final HealerStats stats;
    private final ScrubProperties properties;
    private final Clock clock;
    private final RunRequests<StatsView> requests = new RunRequests<>();

    ScrubScheduler(RepairService repair, LeaderGate gate, HealerStats stats, ScrubProperties properties, Clock clock) {
        super("healer-scrub");
        this.repair = repair;
        this.gate = gate;
        this.stats = stats;
        this.properties = properties;
        this.clock = clock;
    }

    /** Completes with the counters once a scrub cycle started after this call has finished. */
    public CompletableFuture<StatsView> requestScrub() {
        return requests.add();
    }

    @Override
    protected void loop() {
        Instant due = null;
        while (running()) {
            List<CompletableFuture<StatsView>> asked = List.of();
            try {
                asked = requests.take(TICK);
                if (!gate.isLeader()) {
                    requests.putBack(asked);
                    due = null;
                    continue;
                }
                if (due == null) {
                    due = repair.nextScrubDue(properties.interval());
                }
                if (asked.isEmpty() && clock.instant().isBefore(due)) {
                    continue;
                }
                due = null;
                if (runCycle()) {
                    StatsView view = stats.view();
                    asked.forEach(request -> request.complete(view));
                } else {
                    requests.putBack(asked);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (MetadataUnavailableException | StorageNodeException e) {
                log.warn("Scrub cycle failed, resuming from its cursor: {}", e.getMessage());
                requests.putBack(asked);
                due = null;
            }
        }
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
        } catch (MetadataUnavailableException | StorageNodeException e) {
            stats.scrubAbandoned();
            throw e;
        }
        HealerStats.ScrubRecord done = stats.scrubFinished();
        log.info("Scrub cycle {} finished: {} objects, {} bytes verified, {} found damaged", done.number(),
                done.objectsVerified(), done.bytesVerified(), done.damaged());
        return true;
    }
}
