package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A blob that nothing references is deleted once it is older than the grace period, and not before. */
class HealerGarbageCollectionTest {

    private final HealerTestCluster healer = new HealerTestCluster();

    @Test
    void orphanBlobIsCollectedAfterTheGracePeriod() {
        String version = "v%012x-0000-00000000cafebabe".formatted(System.currentTimeMillis());
        healer.putBlob(3, version + ".data.0", "{\"orphan\": 1}".getBytes(StandardCharsets.UTF_8));
        Api.Response kept = healer.api.write("healer/gc/kept", "ec", Values.large(10_000, 9));
        assertThat(kept.status()).isEqualTo(200);
        String keptVersion = kept.json().path("version").asString();

        healer.fullPass();
        assertThat(healer.blobsOf(version)).as("younger than the grace period").isNotEmpty();

        HealerTestCluster.await(Duration.ofSeconds(60), "collection of the orphan", () -> {
            healer.fullPass();
            return healer.blobsOf(version).isEmpty();
        });
        healer.assertFullyRedundant(keptVersion, 6);
    }
}
