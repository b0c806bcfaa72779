package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The leader healer killed mid-scan: the other one takes over, resumes the scan and finishes the repairs. */
class HealerFailoverTest {

    private final HealerTestCluster healer = new HealerTestCluster();

    @Test
    void otherHealerFinishesThePassWhenTheLeaderIsKilled() {
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Api.Response written = healer.api.write("healer/failover/" + i, "replication", Values.large(2_000, 100 + i));
            assertThat(written.status()).isEqualTo(200);
            versions.add(written.json().path("version").asString());
        }
        for (String version : versions) {
            var entry = healer.blobsOf(version).entrySet().iterator().next();
            healer.deleteBlob(entry.getKey(), entry.getValue().getFirst());
        }
        int leader = healer.leader();
        healer.cluster.kill("healer-" + leader);
        try {
            healer.fullPass();
            assertThat(healer.leader()).isNotEqualTo(leader);
            // A leader killed mid-repair leaves the blob it was writing, under its own attempt's id.
            versions.forEach(v -> healer.awaitFullyRedundant(v, 3));
        } finally {
            healer.cluster.start("healer-" + leader);
        }
    }
}
