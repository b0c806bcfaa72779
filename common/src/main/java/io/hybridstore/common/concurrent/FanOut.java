package io.hybridstore.common.concurrent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Blocking calls to many nodes at once, one virtual thread each. The calls are expected to bound themselves (every
 * storage-node request has a timeout) and to turn expected failures into results, so waiting for all is bounded.
 */
public final class FanOut {

    private FanOut() {
    }

    /**
     * {@code call} applied to every item in parallel; the results in the order of {@code items}. An unchecked
     * exception a call throws is rethrown as is, once all calls have ended. An interrupt of the waiting thread
     * restores the flag and throws {@link FanOutInterruptedException}.
     */
    public static <T, R> List<R> map(Collection<? extends T> items, Function<? super T, ? extends R> call) {
        return map(items, Integer.MAX_VALUE, call);
    }

    /**
     * As {@link #map(Collection, Function)}, with at most {@code maxParallel} calls running at once: a call starts
     * when an earlier one has ended, so a fan-out over thousands of items holds the resources of a few dozen.
     */
    public static <T, R> List<R> map(Collection<? extends T> items, int maxParallel,
                                     Function<? super T, ? extends R> call) {
        Semaphore slots = new Semaphore(maxParallel);
        List<Future<R>> futures = new ArrayList<>(items.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                try {
                    slots.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FanOutInterruptedException(e);
                }
                futures.add(executor.submit(() -> {
                    try {
                        return call.apply(item);
                    } finally {
                        slots.release();
                    }
                }));
            }
            return futures.stream().map(FanOut::join).toList();
        }
    }

    private static <R> R join(Future<R> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FanOutInterruptedException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a fanned-out call failed", e.getCause());
        }
    }

    /** The thread waiting for a fan-out was interrupted (the service is shutting down); its flag is set again. */
    public static final class FanOutInterruptedException extends RuntimeException {

        FanOutInterruptedException(InterruptedException cause) {
            super("interrupted while waiting for parallel calls", cause);
        }
    }
}
