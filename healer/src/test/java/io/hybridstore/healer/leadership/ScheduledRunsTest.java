package io.hybridstore.healer.leadership;

import io.hybridstore.healer.status.HealerStats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

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
