package io.hybridstore.healer.leadership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Callers waiting for a run of some background work (a pass, a scrub cycle) that starts after they asked. A loop
 * takes every waiting request as it starts a run, completes them when the run finishes, and hands them back when it
 * did not, so a request is never answered by a run that began before it and never dropped.
 */
public final class RunRequests<T> {

    private final LinkedBlockingQueue<CompletableFuture<T>> waiting = new LinkedBlockingQueue<>();

    /** A new request; completes with the result of the first run that starts after this call and finishes. */
    public CompletableFuture<T> add() {
        CompletableFuture<T> done = new CompletableFuture<>();
        waiting.add(done);
        return done;
    }

    /** Waits up to {@code timeout} for a request, then takes every request waiting now (none when none came). */
    public List<CompletableFuture<T>> take(Duration timeout) throws InterruptedException {
        List<CompletableFuture<T>> taken = new ArrayList<>();
        CompletableFuture<T> first = waiting.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
            taken.add(first);
            waiting.drainTo(taken);
        }
        return taken;
    }

    /** Requests whose run did not finish wait for the next one. */
    public void putBack(List<CompletableFuture<T>> requests) {
        waiting.addAll(requests);
    }
}
