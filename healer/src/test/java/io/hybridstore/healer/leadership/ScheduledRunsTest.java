package io.hybridstore.healer.leadership;

import io.hybridstore.healer.status.HealerStats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduledRunsTest {

    private final CompletableFuture<String> abdicated = new CompletableFuture<>();
    private final HealerStats stats = new HealerStats(new SimpleMeterRegistry(), Clock.systemUTC());
    private BackgroundLoop loop;

    @AfterEach
    void stop() {
        loop.stop();
    }

    @Test
    void aRunThatFailsUnexpectedlyIsRetriedAndTheLoopGoesOn() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        var scheduled = new ScheduledRuns<Integer>("test-runs", "Test run", () -> true, abdicated::complete,
                stats) {
            @Override
            protected boolean due() {
                return false;
            }

            @Override
            protected boolean run() {
                if (runs.incrementAndGet() == 1) {
                    throw new IllegalStateException("unreadable manifest");
                }
                return true;
            }

            @Override
            protected Integer report() {
                return runs.get();
            }
        };
        loop = scheduled;
        loop.start();

        assertThat(scheduled.request().get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(abdicated).isNotDone();
        assertThat(stats.view().loopErrors()).isEqualTo(1);
    }

    @Test
    void beyondTheWaitingBoundARequestIsRefusedAndTheWaitingOnesAreStillServed() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        AtomicInteger runs = new AtomicInteger();
        var scheduled = new ScheduledRuns<Integer>("test-runs", "Test run", () -> true, abdicated::complete,
                stats) {
            @Override
            protected boolean due() {
                return true;
            }

            @Override
            protected boolean run() throws InterruptedException {
                runs.incrementAndGet();
                try {
                    release.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e);
                }
                return true;
            }

            @Override
            protected Integer report() {
                return runs.get();
            }
        };
        loop = scheduled;
        loop.start();
        while (runs.get() == 0) {
            Thread.sleep(10);
        }
        List<CompletableFuture<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < ScheduledRuns.MAX_WAITING; i++) {
            waiting.add(scheduled.request());
        }

        assertThatThrownBy(scheduled::request).isInstanceOf(TooManyWaitingException.class)
                .hasMessageContaining("retry");
        release.complete(null);
        for (CompletableFuture<Integer> request : waiting) {
            assertThat(request.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(2);
        }
        assertThat(scheduled.request().get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aLoopThatDiesGivesUpLeadership() throws Exception {
        loop = new BackgroundLoop("test-loop", abdicated::complete) {
            @Override
            protected void loop() {
                throw new StackOverflowError("deep");
            }
        };
        loop.start();

        assertThat(abdicated.get(5, TimeUnit.SECONDS)).contains("test-loop");
    }
}
