package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A node down longer than the grace period has its replicas and shards rebuilt on the other nodes. */
class HealerNodeReplacementTest {

    private final HealerTestCluster healer = new HealerTestCluster();

    @Test
    void blobsOfANodeDownPastTheGracePeriodMoveToOtherNodes() {
        Api.Response written = healer.api.write("healer/replace/ec", "ec", Values.large(40_000, 21));
        assertThat(written.status()).isEqualTo(200);
        String version = written.json().path("version").asString();
        Api.Response replicated = healer.api.write("healer/replace/r", "replication", Values.large(10_000, 22));
        String replicatedVersion = replicated.json().path("version").asString();
        int victim = healer.blobsOf(replicatedVersion).keySet().iterator().next();

        healer.cluster.kill("storage-node-" + victim);
        try {
            // The lease lapses within its TTL and the healer then waits out the node grace: poll passes until then.
            HealerTestCluster.await(Duration.ofSeconds(90), "the dead node's replica rebuilt elsewhere", () -> {
                healer.fullPass();
                return healer.blobsOf(replicatedVersion).values().stream().mapToInt(List::size).sum() == 3;
            });
            Map<Integer, List<String>> ec = healer.blobsOf(version);
            assertThat(ec).hasSize(5).doesNotContainKey(victim);
            healer.assertFullyRedundant(replicatedVersion, 3);
        } finally {
            healer.cluster.start("storage-node-" + victim);
        }
        assertThat(healer.api.read("healer/replace/ec").text()).isEqualTo(Values.large(40_000, 21));
    }
}
