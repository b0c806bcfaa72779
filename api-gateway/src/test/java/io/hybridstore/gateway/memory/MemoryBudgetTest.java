package io.hybridstore.gateway.memory;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryBudgetTest {

    @Test
    void aReservationThatDoesNotFitWaitsForAnotherToBeGivenBack() throws Exception {
        MemoryBudget budget = new MemoryBudget(100, Duration.ofSeconds(10), new SimpleMeterRegistry());
        MemoryBudget.Reservation first = budget.reserve(80);
        CompletableFuture<MemoryBudget.Reservation> second = CompletableFuture.supplyAsync(() -> budget.reserve(50),
                Thread.ofVirtual()::start);
        Thread.sleep(100);
        assertThat(second).isNotDone();

        first.close();

        try (MemoryBudget.Reservation granted = second.get()) {
            assertThat(granted.held()).isEqualTo(50);
            assertThat(budget.inUse()).isEqualTo(50);
        }
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aReservationThatStillDoesNotFitAfterTheWaitIsRefused() {
        MemoryBudget budget = new MemoryBudget(100, Duration.ofMillis(50), new SimpleMeterRegistry());
        try (MemoryBudget.Reservation held = budget.reserve(60)) {
            MemoryBudget.Reservation growing = budget.reserve(30);
            assertThatThrownBy(() -> growing.grow(20)).isInstanceOf(OverloadedException.class);
            growing.close();
            assertThat(budget.inUse()).isEqualTo(60);
        }
    }

    @Test
    void aReservationLargerThanTheBudgetRunsAloneRatherThanNever() {
        MemoryBudget budget = new MemoryBudget(100, Duration.ofMillis(50), new SimpleMeterRegistry());
        try (MemoryBudget.Reservation huge = budget.reserve(500)) {
            assertThat(budget.inUse()).isEqualTo(100);
            assertThatThrownBy(() -> budget.reserve(1)).isInstanceOf(OverloadedException.class);
        }
        assertThat(budget.inUse()).isZero();
    }
}
