package io.hybridstore.healer.repair;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.ManifestCodec;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.healer.testing.EtcdProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Manifests written before keys were stored raw (percent-encoded: {@code user%3A42}) are moved to their place by the
 * repair sweep, so an upgraded cluster reads every old object again after one pass.
 */
class OldKeyLayoutTest {

    private static final EtcdKeys KEYS = new EtcdKeys("/layout-test/");
    private static EtcdProcess etcd;
    private static Client client;
    private static ManifestStore store;

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdProcess.startNew();
        client = Client.builder().endpoints(etcd.endpoint()).build();
        store = new ManifestStore(client.getKVClient(), KEYS, Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        client.close();
        etcd.close();
    }

    @Test
    void aManifestUnderItsPercentEncodedKeyMovesToItsKey() throws Exception {
        Manifest old = manifest("user:42", "v1");
        putOldLayout(old);
        assertThat(store.get("user:42")).isEmpty();

        VersionedManifest found = only("user%3A42");
        assertThat(store.isInPlace(found)).isFalse();
        assertThat(store.relocate(found)).isTrue();

        assertThat(store.get("user:42")).map(m -> m.manifest().version()).hasValue("v1");
        assertThat(store.page("", null, 100)).allMatch(store::isInPlace);
    }

    @Test
    void aStaleCopyIsDroppedWhenANewerVersionIsAlreadyInPlace() throws Exception {
        putOldLayout(manifest("order 7", "v1"));
        assertThat(store.putIf(manifest("order 7", "v2"), 0)).isEqualTo(ManifestStore.PutResult.COMMITTED);

        assertThat(store.relocate(only("order+7"))).isFalse();

        assertThat(store.get("order 7")).map(m -> m.manifest().version()).hasValue("v2");
        assertThat(store.page("order", null, 100)).singleElement().satisfies(m -> assertThat(store.isInPlace(m)).isTrue());
    }

    private static Manifest manifest(String key, String version) {
        return new Manifest(key, version, Strategy.REPLICATION, "application/json", 2, "00", 0, null, null, null);
    }

    private static void putOldLayout(Manifest manifest) throws Exception {
        client.getKVClient().put(ByteSequence.from(KEYS.objectsPrefix()
                        + URLEncoder.encode(manifest.key(), StandardCharsets.UTF_8), StandardCharsets.UTF_8),
                ByteSequence.from(ManifestCodec.toJson(manifest))).get();
    }

    private static VersionedManifest only(String etcdSuffix) {
        List<VersionedManifest> all = store.page("", null, 100);
        return all.stream().filter(m -> m.etcdKey().equals(KEYS.objectsPrefix() + etcdSuffix)).findFirst().orElseThrow();
    }
}
