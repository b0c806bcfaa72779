package io.hybridstore.healer.rollback;

import io.etcd.jetcd.Client;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.manifest.VersionIds;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.ManifestStore.PutResult;
import io.hybridstore.healer.testing.EtcdProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fence that keeps a gateway stalled past the zombie timeout from committing a version the healer rolled back. */
class RollbackFenceTest {

    private static EtcdProcess etcd;
    private static Client client;
    private static ManifestStore store;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.startNew();
        client = Client.builder().endpoints(etcd.endpoint()).build();
        store = new ManifestStore(client.getKVClient(), new EtcdKeys("/fence-test/"), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stopEtcd() {
        client.close();
        etcd.close();
    }

    private static Manifest manifest(String key, String version) {
        ReplicatedPart part = new ReplicatedPart(2, "ab", List.of(new Replica("n1", version + ".data.0", 1)));
        return new Manifest(key, version, Strategy.REPLICATION, "application/json", 2, "ab", 0, part, null, null);
    }

    @Test
    void aRolledBackVersionCanNeverBeCommitted() {
        assertThat(store.putIf(manifest("k1", "v1"), 0)).isEqualTo(PutResult.COMMITTED);
        long revision = store.get("k1").orElseThrow().modRevision();

        assertThat(store.fenceUncommitted("k1", "v2")).map(Manifest::version).contains("v1");

        assertThat(store.putIf(manifest("k1", "v2"), revision)).isEqualTo(PutResult.ROLLED_BACK);
        assertThat(store.get("k1").orElseThrow().manifest().version()).isEqualTo("v1");
        assertThat(store.putIf(manifest("k1", "v3"), revision)).isEqualTo(PutResult.COMMITTED);
    }

    @Test
    void aCommittedVersionIsNotFenced() {
        assertThat(store.putIf(manifest("k2", "v1"), 0)).isEqualTo(PutResult.COMMITTED);
        assertThat(store.fenceUncommitted("k2", "v1")).map(Manifest::version).contains("v1");
        long revision = store.get("k2").orElseThrow().modRevision();
        assertThat(store.putIf(manifest("k2", "v1"), revision)).isEqualTo(PutResult.COMMITTED);
    }

    @Test
    void fencesOlderThanTheRetentionArePruned() {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        String old = new VersionIds(Clock.fixed(now.minus(Duration.ofHours(30)), ZoneOffset.UTC)).next();
        String recent = new VersionIds(Clock.fixed(now.minus(Duration.ofHours(1)), ZoneOffset.UTC)).next();
        store.fenceUncommitted("k4", old);
        store.fenceUncommitted("k4", recent);

        assertThat(store.pruneFences(now.minus(Duration.ofHours(24)))).isEqualTo(1);

        assertThat(store.putIf(manifest("k4", recent), 0)).isEqualTo(PutResult.ROLLED_BACK);
        assertThat(store.putIf(manifest("k4", old), 0)).as("its fence is gone").isEqualTo(PutResult.COMMITTED);
    }

    @Test
    void aWriteThatLostARaceIsAConflictNotARollback() {
        assertThat(store.putIf(manifest("k3", "v1"), 0)).isEqualTo(PutResult.COMMITTED);
        assertThat(store.putIf(manifest("k3", "v2"), 0)).isEqualTo(PutResult.CONFLICT);
    }
}
