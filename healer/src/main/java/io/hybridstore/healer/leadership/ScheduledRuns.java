package io.hybridstore.healer.leadership;

import io.hybridstore.common.metadata.MetadataUnavailableException;
import io.hybridstore.common.node.StorageNodeException;
import io.hybridstore.healer.status.HealerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Background work the leader runs when it is due or when someone asks (a repair pass, a scrub cycle). Once a tick
 * it takes the waiting requests; on the leader, a run starts when one was asked for or {@link #due()} says so, and
 * the requests it took are completed with {@link #report()} when it finishes, or kept for the next run when it did
 * not — so a request is never answered by a run that began before it, and never dropped.
 */
public abstract class ScheduledRuns<T> extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(ScheduledRuns.class);
    private static final Duration TICK = Duration.ofSeconds(1);
    /**
     * Requests waiting for the next run at most: each holds an HTTP thread until the run finishes, and the run serves
     * them all alike, so more would only let a flood of requests take the healer's threads.
     */
    public static final int MAX_WAITING = 32;

    private final String what;
    private final LeaderGate gate;
    private final HealerStats stats;
    private final LinkedBlockingQueue<CompletableFuture<T>> waiting = new LinkedBlockingQueue<>();

    protected ScheduledRuns(String threadName, String what, LeaderGate gate, Abdication abdication,
                            HealerStats stats) {
        super(threadName, abdication);
        this.what = what;
        this.gate = gate;
        this.stats = stats;
    }

    /**
     * Completes with the report of the first run that starts after this call and finishes.
     *
     * @throws TooManyWaitingException when {@value #MAX_WAITING} requests wait already
     */
    public CompletableFuture<T> request() {
        if (waiting.size() >= MAX_WAITING) {
            throw new TooManyWaitingException(MAX_WAITING + " requests already wait for the next " + what.toLowerCase()
                    + "; it answers them all, retry when it has");
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        waiting.add(done);
        return done;
    }

    /** Whether a run is due without being asked for; asked on the leader, once a tick. */
    protected abstract boolean due();

    /** One run; false when it was cut short (leadership lost), to be resumed by a later one. */
    protected abstract boolean run() throws InterruptedException;

    /** What the requests a finished run served are completed with. */
    protected abstract T report();

    /** On the leader, each tick no run starts. */
    protected void betweenRuns() {
    }

    /** After leadership was lost or a run failed: whatever the schedule cached is to be read again. */
    protected void reset() {
    }

    @Override
    protected final void loop() {
        while (running()) {
            List<CompletableFuture<T>> asked = new ArrayList<>();
            try {
                CompletableFuture<T> first = waiting.poll(TICK.toMillis(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    asked.add(first);
                    waiting.drainTo(asked);
                }
                if (!gate.isLeader()) {
                    waiting.addAll(asked);
                    reset();
                    continue;
                }
                if (asked.isEmpty() && !due()) {
                    betweenRuns();
                    continue;
                }
                if (run()) {
                    T report = report();
                    asked.forEach(request -> request.complete(report));
                } else {
                    waiting.addAll(asked);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (MetadataUnavailableException | StorageNodeException e) {
                log.warn("{} failed, retrying next tick: {}", what, e.getMessage());
                waiting.addAll(asked);
                reset();
            } catch (RuntimeException e) {
                log.error("{} failed unexpectedly, retrying next tick", what, e);
                stats.loopError();
                waiting.addAll(asked);
                reset();
            }
        }
    }
}
