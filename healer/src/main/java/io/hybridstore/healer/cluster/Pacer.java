package io.hybridstore.healer.cluster;

import java.time.Duration;

/**
 * Keeps background work under a rate: {@link #acquire(int)} sleeps until {@code n} more units fit. Unused time
 * is not saved up beyond one second, so a pause does not turn into a burst afterwards.
 */
public final class Pacer {

    private final double perSecond;
    private long nextFreeNanos = System.nanoTime();

    public Pacer(double perSecond) {
        this.perSecond = perSecond;
    }

    public synchronized void acquire(long units) throws InterruptedException {
        long now = System.nanoTime();
        long earliest = now - Duration.ofSeconds(1).toNanos();
        if (nextFreeNanos < earliest) {
            nextFreeNanos = earliest;
        }
        nextFreeNanos += (long) (units / perSecond * 1e9);
        long wait = nextFreeNanos - now;
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }
}
