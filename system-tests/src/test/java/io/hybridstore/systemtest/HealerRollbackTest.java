package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Intents that nobody closed are settled by the healer: a stalled write's blobs go, and the intent is aborted. */
class HealerRollbackTest {

    private final HealerTestCluster healer = new HealerTestCluster();

    @Test
    void stalledPendingWriteIsRolledBackAndItsBlobsDeleted() throws Exception {
        String version = "v%012x-0000-00000000deadbeef".formatted(System.currentTimeMillis());
        byte[] data = "{\"never\": \"committed\"}".getBytes(StandardCharsets.UTF_8);
        healer.putBlob(1, version + ".data.0", data);
        healer.putBlob(2, version + ".data.1", data);
        long rolledBackBefore = rolledBack();

        healer.appendToLog("healer/rollback/stalled", """
                {"type":"PENDING","txId":"tx-%s","operation":"WRITE","key":"healer/rollback/stalled","version":"%s",\
                "blobs":[{"node":"storage-node-1","blob":"%s.data.0"},{"node":"storage-node-2","blob":"%s.data.1"}],\
                "timestamp":%d,"gateway":"system-test"}""".formatted(version, version, version, version,
                System.currentTimeMillis()));

        HealerTestCluster.await(Duration.ofSeconds(40), "rollback of the stalled intent",
                () -> healer.blobsOf(version).isEmpty());
        HealerTestCluster.await(Duration.ofSeconds(10), "rollback counted", () -> rolledBack() > rolledBackBefore);
        assertThat(healer.api.read("healer/rollback/stalled").status()).isEqualTo(404);
    }

    @Test
    void pendingWriteWhoseVersionIsCommittedKeepsItsBlobs() throws Exception {
        Api.Response written = healer.api.write("healer/rollback/committed", "replication", "{\"kept\": true}");
        assertThat(written.status()).isEqualTo(200);
        String version = written.json().path("version").asString();
        var blobs = healer.blobsOf(version);
        long settledBefore = settled();

        healer.appendToLog("healer/rollback/committed", """
                {"type":"PENDING","txId":"tx-replay-%s","operation":"WRITE","key":"healer/rollback/committed",\
                "version":"%s","blobs":[],"timestamp":%d,"gateway":"system-test"}""".formatted(version, version,
                System.currentTimeMillis()));

        HealerTestCluster.await(Duration.ofSeconds(40), "settling of the replayed intent", () -> settled() > settledBefore);
        assertThat(healer.blobsOf(version)).isEqualTo(blobs);
        assertThat(healer.api.read("healer/rollback/committed").text()).isEqualTo("{\"kept\": true}");
    }

    private long rolledBack() {
        return healer.healer(healer.leader()).get("/status").json().path("intents_rolled_back").asLong();
    }

    private long settled() {
        return healer.healer(healer.leader()).get("/status").json().path("intents_settled").asLong();
    }
}
