package io.hybridstore.common.concurrent;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FanOutTest {

    @Test
    void resultsComeBackInTheOrderOfTheItems() {
        assertThat(FanOut.map(List.of(3, 1, 2), i -> "n" + i)).containsExactly("n3", "n1", "n2");
    }

    @Test
    void theCallsRunAtTheSameTime() {
        CountDownLatch allStarted = new CountDownLatch(3);
        List<Boolean> met = FanOut.map(List.of(1, 2, 3), i -> {
            allStarted.countDown();
            try {
                return allStarted.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(met).containsOnly(true);
    }

    @Test
    void aBoundedFanOutRunsNoMoreCallsAtOnceThanItsBoundAndAllOfThem() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<Integer> items = IntStream.range(0, 200).boxed().toList();
        List<Integer> results = FanOut.map(items, 8, i -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            running.decrementAndGet();
            return i * 2;
        });
        assertThat(results).isEqualTo(items.stream().map(i -> i * 2).toList());
        assertThat(mostAtOnce.get()).isBetween(2, 8);
    }

    @Test
    void aCallsUncheckedExceptionIsRethrownAsItself() {
        assertThatThrownBy(() -> FanOut.map(List.of(1, 2), i -> {
            if (i == 2) {
                throw new IllegalArgumentException("bad " + i);
            }
            return i;
        })).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("bad 2");
    }

    @Test
    void anInterruptedWaitKeepsTheFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> FanOut.map(List.of(1), i -> {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return i;
            })).isInstanceOf(FanOut.FanOutInterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
