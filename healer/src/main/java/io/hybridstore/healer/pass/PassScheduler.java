package io.hybridstore.healer.pass;

import io.hybridstore.common.metadata.MetadataUnavailableException;
import io.hybridstore.common.node.StorageNodeException;
import io.hybridstore.healer.gc.GarbageCollector;
import io.hybridstore.healer.leadership.BackgroundLoop;
import io.hybridstore.healer.leadership.LeaderGate;
import io.hybridstore.healer.leadership.RunRequests;
import io.hybridstore.healer.repair.RepairProperties;
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
 * The leader's main loop: every {@code scan-interval}, one full pass — reported keys, the repair scan over every
 * manifest, then garbage collection. Between passes it keeps serving repair hints once a second, so a degraded read
 * is repaired within about a second rather than at the next scan. {@link #requestPass()} starts a pass at once and
 * completes when a pass begun after the request has finished.
 */
@Component
public class PassScheduler extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(PassScheduler.class);
    private static final Duration TICK = Duration.ofSeconds(1);

    private final RepairService repair;
    private final GarbageCollector gc;
    private final LeaderGate gate;
    private final HealerStats stats;
    private final RepairProperties properties;
    private final Clock clock;
    private final RunRequests<StatsView> requests = new RunRequests<>();

    PassScheduler(RepairService repair, GarbageCollector gc, LeaderGate gate, HealerStats stats,
                  RepairProperties properties, Clock clock) {
        super("healer-passes");
        this.repair = repair;
        this.gc = gc;
        this.gate = gate;
        this.stats = stats;
        this.properties = properties;
        this.clock = clock;
    }

    /** Completes with the counters once a full pass started after this call has finished. */
    public CompletableFuture<StatsView> requestPass() {
        return requests.add();
    }

    @Override
    protected void loop() {
        Instant nextPass = clock.instant();
        while (running()) {
            List<CompletableFuture<StatsView>> asked = List.of();
            try {
                asked = requests.take(TICK);
                if (!gate.isLeader()) {
                    requests.putBack(asked);
                    continue;
                }
                if (asked.isEmpty() && clock.instant().isBefore(nextPass)) {
                    repair.processHints();
                    continue;
                }
                boolean finished = runPass();
                nextPass = clock.instant().plus(properties.scanInterval());
                if (finished) {
                    StatsView view = stats.view();
                    asked.forEach(request -> request.complete(view));
                } else {
                    requests.putBack(asked);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (MetadataUnavailableException | StorageNodeException e) {
                log.warn("Healer pass failed, retrying next tick: {}", e.getMessage());
                requests.putBack(asked);
            }
        }
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
        } catch (MetadataUnavailableException | StorageNodeException e) {
            stats.passAbandoned();
            throw e;
        }
    }
}
