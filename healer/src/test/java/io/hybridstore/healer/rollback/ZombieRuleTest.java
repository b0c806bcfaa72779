package io.hybridstore.healer.rollback;

import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.ErasureCodedPart;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Shard;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.manifest.Stripe;
import io.hybridstore.common.wal.WalRecord;
import io.hybridstore.common.wal.WalRecord.Operation;
import io.hybridstore.common.wal.WalRecord.Type;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ZombieRuleTest {

    private static final BlobRef A = new BlobRef("n1", "v2.hot.0");
    private static final BlobRef COLD = new BlobRef("n2", "v2.cold.0");

    @Test
    void uncommittedWriteIsAbortedAndItsBlobsDeleted() {
        var settlement = ZombieRule.settle(pending(Operation.WRITE, "v2", List.of(A, COLD)), Optional.empty());
        assertThat(settlement.outcome()).isEqualTo(Type.ABORTED);
        assertThat(settlement.delete()).containsExactly(A, COLD);
    }

    @Test
    void writeWhoseVersionIsCommittedIsClosedAsCommittedAndKeepsItsBlobs() {
        var settlement = ZombieRule.settle(pending(Operation.WRITE, "v2", List.of(A)), Optional.of(manifest("v2", COLD)));
        assertThat(settlement.outcome()).isEqualTo(Type.COMMITTED);
        assertThat(settlement.delete()).isEmpty();
    }

    @Test
    void displacedWriteNeverDeletesColdBlobsTheCurrentVersionReuses() {
        var settlement = ZombieRule.settle(pending(Operation.WRITE, "v2", List.of(A, COLD)), Optional.of(manifest("v3", COLD)));
        assertThat(settlement.outcome()).isEqualTo(Type.ABORTED);
        assertThat(settlement.delete()).containsExactly(A);
    }

    @Test
    void deleteWhoseManifestIsGoneFinishesDeletingBlobs() {
        var settlement = ZombieRule.settle(pending(Operation.DELETE, "v2", List.of(A)), Optional.empty());
        assertThat(settlement.outcome()).isEqualTo(Type.COMMITTED);
        assertThat(settlement.delete()).containsExactly(A);
    }

    @Test
    void deleteWhoseManifestStillStandsIsAbortedAndDeletesNothing() {
        var settlement = ZombieRule.settle(pending(Operation.DELETE, "v2", List.of(COLD)), Optional.of(manifest("v2", COLD)));
        assertThat(settlement.outcome()).isEqualTo(Type.ABORTED);
        assertThat(settlement.delete()).isEmpty();
    }

    @Test
    void trackerReportsZombiesOnlyAfterTheTimeoutAndNeverCommitsPastAnOpenIntent() {
        IntentTracker tracker = new IntentTracker();
        WalRecord old = pending(Operation.WRITE, "v1", List.of(A), 1_000);
        WalRecord fresh = pending(Operation.WRITE, "v2", List.of(COLD), 50_000);
        tracker.accept(old, 0, 10);
        tracker.accept(fresh, 0, 11);
        tracker.accept(fresh.close(Type.COMMITTED, 50_100), 0, 12);
        assertThat(tracker.zombies(Instant.ofEpochMilli(40_000), Duration.ofSeconds(30)))
                .extracting(o -> o.pending().version()).containsExactly("v1");
        assertThat(tracker.committable(Map.of(0, 13L, 1, 5L))).containsEntry(0, 10L).containsEntry(1, 5L);
        assertThat(tracker.openBlobs()).containsExactly(A);
        tracker.settled(old.txId());
        assertThat(tracker.committable(Map.of(0, 13L))).containsEntry(0, 13L);
    }

    @Test
    void aHeartbeatKeepsASlowWriteFromBeingTakenForAZombieButNotItsOffset() {
        IntentTracker tracker = new IntentTracker();
        WalRecord slow = pending(Operation.WRITE, "v1", List.of(A), 1_000);
        tracker.accept(slow, 0, 10);
        tracker.accept(slow.heartbeat(35_000), 0, 20);

        assertThat(tracker.zombies(Instant.ofEpochMilli(40_000), Duration.ofSeconds(30))).isEmpty();
        assertThat(tracker.zombies(Instant.ofEpochMilli(70_000), Duration.ofSeconds(30))).hasSize(1);
        assertThat(tracker.committable(Map.of(0, 21L))).as("a new owner must read the first PENDING again")
                .containsEntry(0, 10L);
    }

    private static WalRecord pending(Operation operation, String version, List<BlobRef> blobs) {
        return pending(operation, version, blobs, 0);
    }

    private static WalRecord pending(Operation operation, String version, List<BlobRef> blobs, long timestamp) {
        return new WalRecord(Type.PENDING, "tx-" + version, operation, "k", version, blobs, timestamp, "g");
    }

    private static Manifest manifest(String version, BlobRef cold) {
        return new Manifest("k", version, Strategy.FIELD_HYBRID, "application/json", 1, "s", 0, null,
                new ErasureCodedPart(4, 2, 1, "s", List.of(new Stripe(1, 1,
                        List.of(new Shard(0, cold.node(), cold.blob(), 0))))), List.of());
    }
}
