package io.hybridstore.healer.repair;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The repairs of a sweep in flight across pages, at most {@code parallelism} at once: the sweep reads, checks and
 * plans the next page while the last one's repairs still run, and waits only for a free slot. When each page waited
 * for its slowest repair, a rebuild used under half of the machine. The window also knows how far the sweep is
 * done: up to the last page whose repairs, and every earlier page's, have all ended — the only place a cursor may be
 * saved, so a new leader never skips a repair that was still running.
 *
 * <p>Used by the sweep's one thread; the repairs run on virtual threads.
 */
final class RepairWindow implements AutoCloseable {

    private final Semaphore slots;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Deque<Page> pages = new ArrayDeque<>();

    RepairWindow(int parallelism) {
        this.slots = new Semaphore(parallelism);
    }

    private record Page(String last, List<Future<?>> repairs) {
    }

    /** Starts the page's repairs, waiting for slots as needed; {@code last} is the page's last key. */
    void submit(String last, List<Runnable> repairs) throws InterruptedException {
        List<Future<?>> started = new ArrayList<>(repairs.size());
        for (Runnable repair : repairs) {
            slots.acquire();
            started.add(threads.submit(() -> {
                try {
                    repair.run();
                } finally {
                    slots.release();
                }
            }));
        }
        pages.add(new Page(last, started));
    }

    /**
     * The last key up to which every repair has ended, when that moved since the last call. A repair that threw is
     * rethrown here, as it would have been had the sweep waited for it.
     */
    Optional<String> doneUpTo() {
        String done = null;
        while (!pages.isEmpty() && pages.peekFirst().repairs().stream().allMatch(Future::isDone)) {
            Page page = pages.pollFirst();
            page.repairs().forEach(RepairWindow::rethrowFailure);
            done = page.last();
        }
        return Optional.ofNullable(done);
    }

    /** Waits for every repair started, then {@link #doneUpTo()}. */
    Optional<String> awaitAll() throws InterruptedException {
        for (Page page : pages) {
            for (Future<?> repair : page.repairs()) {
                try {
                    repair.get();
                } catch (ExecutionException failed) {
                    // Rethrown in page order by doneUpTo.
                }
            }
        }
        return doneUpTo();
    }

    private static void rethrowFailure(Future<?> repair) {
        if (repair.state() == Future.State.FAILED) {
            Throwable cause = repair.exceptionNow();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a repair failed", cause);
        }
    }

    /** Waits for the repairs still running: a sweep that ends early does not leave them behind. */
    @Override
    public void close() {
        threads.close();
    }
}
