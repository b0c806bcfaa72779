package io.hybridstore.common.concurrent;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FuturesTest {

    @Test
    void joinRethrowsTheWorksOwnException() {
        CompletableFuture<String> failed = CompletableFuture.supplyAsync(() -> {
            throw new IllegalStateException("boom");
        });
        assertThatThrownBy(() -> Futures.join(failed)).isExactlyInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(Futures.join(CompletableFuture.completedFuture("ok"))).isEqualTo("ok");
    }
}
