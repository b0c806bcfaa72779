package io.hybridstore.healer.gc;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.etcd.EtcdProperties;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.UploadRecord;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.healer.rollback.OpenIntents;
import io.hybridstore.healer.status.HealerStats;
import io.hybridstore.healer.testing.EtcdProcess;
import io.hybridstore.healer.testing.FakeStorageNode;
import io.hybridstore.healer.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Garbage collection judges a blob's age on the healer's own clock, never on the node's. */
class GarbageCollectorTest {

    private static final Duration GRACE = Duration.ofMinutes(5);
    private static final byte[] DATA = {1, 2, 3};

    private static EtcdProcess etcd;
    private static Client client;
    private static ManifestStore store;
    private static NodeDirectory directory;
    private static FakeStorageNode node;
    private static final EtcdKeys keys = new EtcdKeys("/gc-test/");
    private static final Duration UPLOAD_AGE = Duration.ofDays(7);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdProcess.startNew();
        client = Client.builder().endpoints(etcd.endpoint()).build();
        store = new ManifestStore(client.getKVClient(), keys, Duration.ofSeconds(5));
        node = new FakeStorageNode("n1");
        NodeInfo info = node.info();
        client.getKVClient().put(keys.node(info.id()), ByteSequence.from(
                "{\"id\":\"n1\",\"url\":\"" + info.url() + "\",\"wire\":\"" + info.wire() + "\"}", StandardCharsets.UTF_8)).get();
        directory = new NodeDirectory(client.getKVClient(), keys, Duration.ZERO, Duration.ofSeconds(5),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        node.close();
        client.close();
        etcd.close();
    }

    @Test
    void aNewBlobOnANodeWhoseClockIsBehindIsKeptUntilTheHealerHasSeenItUnreferencedForTheGrace() throws Exception {
        long nodeClockBehind = clock.instant().minus(GRACE).minusSeconds(60).toEpochMilli();
        node.store("v1-skewed.data.0", DATA, nodeClockBehind);
        GarbageCollector gc = collector();

        assertThat(gc.collect()).isTrue();
        assertThat(node.has("v1-skewed.data.0")).as("first seen unreferenced just now").isTrue();

        clock.advance(GRACE.minusSeconds(1));
        assertThat(gc.collect()).isTrue();
        assertThat(node.has("v1-skewed.data.0")).as("seen for less than the grace").isTrue();

        clock.advance(Duration.ofSeconds(1));
        assertThat(gc.collect()).isTrue();
        assertThat(node.has("v1-skewed.data.0")).as("unreferenced in two runs the grace apart").isFalse();
    }

    @Test
    void aNewLeaderWaitsTheGraceOfItsOwnObservation() throws Exception {
        node.store("v2-orphan.data.0", DATA, 1);
        GarbageCollector oldLeader = collector();
        assertThat(oldLeader.collect()).isTrue();
        clock.advance(GRACE.minusSeconds(10));

        GarbageCollector newLeader = collector();
        assertThat(newLeader.collect()).isTrue();
        clock.advance(Duration.ofSeconds(10));
        assertThat(newLeader.collect()).isTrue();
        assertThat(node.has("v2-orphan.data.0")).as("the new leader has seen it for 10 s").isTrue();

        clock.advance(GRACE);
        assertThat(newLeader.collect()).isTrue();
        assertThat(node.has("v2-orphan.data.0")).isFalse();
    }

    @Test
    void nothingIsCollectedWhileAManifestCannotBeRead() throws Exception {
        EtcdKeys damaged = new EtcdKeys("/gc-damaged/");
        client.getKVClient().put(damaged.object("x"), ByteSequence.from("{not json", StandardCharsets.UTF_8)).get();
        node.store("v3-orphan.data.0", DATA, 1);
        HealerStats stats = new HealerStats(new SimpleMeterRegistry(), clock);
        GarbageCollector gc = collector(new ManifestStore(client.getKVClient(), damaged, Duration.ofSeconds(5)), stats);

        assertThat(gc.collect()).isFalse();
        clock.advance(GRACE.plus(GRACE));
        assertThat(gc.collect()).isFalse();

        assertThat(node.has("v3-orphan.data.0")).as("what the unreadable manifest references is unknown").isTrue();
        assertThat(stats.view().manifestsUnreadable()).isEqualTo(2);
        node.delete("v3-orphan.data.0");
    }

    @Test
    void anAbandonedUploadIsRemovedAndItsPartsBlobsCollectedButAFinishedUploadsLeftoversKeepTheirBlobs() throws Exception {
        long now = clock.millis();
        putUpload("b", "old-upload", now - UPLOAD_AGE.toMillis() - 1000);
        putUpload("b", "young-upload", now - 1000);
        putPart("old-upload", 1, "v10-old.data.0");
        putPart("young-upload", 1, "v11-young.data.0");
        // A completed upload's part whose manifest a dying gateway left: its blob is the object's now.
        putPart("completed-upload", 1, "v12-done.data.0");
        assertThat(store.putIf(manifestWithBlob("b/assembled", "v13", "v12-done.data.0"), 0))
                .isEqualTo(ManifestStore.PutResult.COMMITTED);
        GarbageCollector gc = collector();

        assertThat(gc.collect()).isTrue();
        assertThat(client.getKVClient().get(keys.upload("b", "old-upload")).get().getCount()).isZero();
        assertThat(client.getKVClient().get(keys.upload("b", "young-upload")).get().getCount()).isOne();
        assertThat(store.get(UploadRecord.partKey("old-upload", 1))).isEmpty();
        assertThat(store.get(UploadRecord.partKey("completed-upload", 1))).isEmpty();
        assertThat(store.get(UploadRecord.partKey("young-upload", 1))).isPresent();

        clock.advance(GRACE);
        assertThat(gc.collect()).isTrue();
        assertThat(node.has("v10-old.data.0")).as("the abandoned part's blob").isFalse();
        assertThat(node.has("v11-young.data.0")).as("a part of an upload in progress").isTrue();
        assertThat(node.has("v12-done.data.0")).as("the completed object's blob").isTrue();
    }

    private static void putUpload(String bucket, String uploadId, long initiated) throws Exception {
        client.getKVClient().put(keys.upload(bucket, uploadId), ByteSequence.from(
                new UploadRecord("k", initiated, "binary/octet-stream", Map.of(), Map.of()).toJson())).get();
    }

    private static void putPart(String uploadId, int number, String blob) throws Exception {
        node.store(blob, DATA, 1);
        assertThat(store.putIf(manifestWithBlob(UploadRecord.partKey(uploadId, number), "v" + blob.hashCode(), blob), 0))
                .isEqualTo(ManifestStore.PutResult.COMMITTED);
    }

    private static Manifest manifestWithBlob(String key, String version, String blob) {
        return new Manifest(key, version, Strategy.REPLICATION, "binary/octet-stream", DATA.length, "00", 0,
                new ReplicatedPart(DATA.length, "00", List.of(new Replica("n1", blob, 0))), null, null);
    }

    private GarbageCollector collector() {
        return collector(store, new HealerStats(new SimpleMeterRegistry(), clock));
    }

    private GarbageCollector collector(ManifestStore manifests, HealerStats stats) {
        return new GarbageCollector(manifests, directory, new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(1),
                Duration.ofSeconds(5)), () -> Optional.of(new OpenIntents(clock.instant().plusMillis(1), Set.of())),
                () -> true, stats,
                new GcProperties(true, GRACE, 100, Duration.ofHours(24), UPLOAD_AGE), clock, client, keys,
                EtcdProperties.plain(List.of(etcd.endpoint()), keys.prefix(), Duration.ofSeconds(5)));
    }
}
