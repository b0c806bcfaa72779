package io.hybridstore.gateway.write;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class KeyLocksTest {

    private final KeyLocks locks = new KeyLocks();

    @Test
    void workOnOneKeyRunsOneAtATimeAndLeavesNoLockBehind() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                done.add(threads.submit(() -> locks.withLock("hot", () -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.yield();
                    inside.decrementAndGet();
                    return n;
                })));
            }
            for (int i = 0; i < done.size(); i++) {
                assertThat(done.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
            }
        }
        assertThat(most.get()).isEqualTo(1);
        assertThat(locks.size()).isZero();
    }

    @Test
    void aKeyHeldLongDoesNotHoldUpAnother() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> slow = threads.submit(() -> locks.withLock("slow", () -> {
                holding.countDown();
                awaitQuietly(release);
                return null;
            }));
            holding.await();
            assertThat(threads.submit(() -> locks.withLock("other", () -> "done")).get(5, TimeUnit.SECONDS))
                    .isEqualTo("done");
            release.countDown();
            slow.get(5, TimeUnit.SECONDS);
        }
        assertThat(locks.size()).isZero();
    }

    @Test
    void aFailingMergeReleasesItsKey() {
        try {
            locks.withLock("k", () -> {
                throw new IllegalStateException("boom");
            });
        } catch (IllegalStateException expected) {
            // the work's failure is the caller's
        }
        assertThat(locks.size()).isZero();
        assertThat(locks.withLock("k", () -> 1)).isEqualTo(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
