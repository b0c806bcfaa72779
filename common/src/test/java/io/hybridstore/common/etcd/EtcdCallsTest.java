package io.hybridstore.common.etcd;

import io.hybridstore.common.metadata.MetadataUnavailableException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EtcdCallsTest {

    @Test
    void anAnswerInTimeIsReturned() {
        assertThat(EtcdCalls.await(CompletableFuture.completedFuture(7), Duration.ofSeconds(1), "reading")).isEqualTo(7);
    }

    @Test
    void noAnswerInTimeIsMetadataUnavailableAndTheCallIsCancelled() {
        CompletableFuture<Integer> silent = new CompletableFuture<>();
        assertThatThrownBy(() -> EtcdCalls.await(silent, Duration.ofMillis(50), "reading the cursor"))
                .isInstanceOf(MetadataUnavailableException.class).hasMessageContaining("reading the cursor");
        assertThat(silent).isCancelled();
    }

    @Test
    void aFailedCallIsMetadataUnavailableWithItsCause() {
        CompletableFuture<Integer> failed = CompletableFuture.failedFuture(new IllegalStateException("no leader"));
        assertThatThrownBy(() -> EtcdCalls.await(failed, Duration.ofSeconds(1), "committing"))
                .isInstanceOf(MetadataUnavailableException.class).hasMessageContaining("committing")
                .hasRootCauseMessage("no leader");
    }
}
