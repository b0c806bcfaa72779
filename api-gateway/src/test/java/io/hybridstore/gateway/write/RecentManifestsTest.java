package io.hybridstore.gateway.write;

import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.metadata.VersionedManifest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecentManifestsTest {

    private static VersionedManifest stored(String key, String version, long revision) {
        Manifest manifest = new Manifest(key, version, Strategy.REPLICATION, "application/json", 2, null, 1L,
                new ReplicatedPart(2, "00", List.of()), null, null);
        return new VersionedManifest(manifest, revision, "/hybridstore/objects/" + key);
    }

    @Test
    void aValueIsServedOnlyForTheManifestItCameWith() {
        RecentManifests recent = new RecentManifests(10);
        VersionedManifest first = stored("k", "v1", 5);
        recent.committed(first);
        recent.committedValue(first.manifest(), "{}".getBytes());

        assertThat(recent.get("k")).contains(first);
        assertThat(recent.value(first)).hasValueSatisfying(value -> assertThat(value).isEqualTo("{}".getBytes()));
        assertThat(recent.value(stored("k", "v1", 6))).as("the key changed since (a repair moved a blob)").isEmpty();

        VersionedManifest second = stored("k", "v2", 7);
        recent.committed(second);
        assertThat(recent.value(first)).isEmpty();
        assertThat(recent.value(second)).as("a whole write brings no value").isEmpty();
        recent.committedValue(first.manifest(), "{\"old\":1}".getBytes());
        assertThat(recent.value(second)).as("a value of an older version is not taken").isEmpty();
    }

    @Test
    void forgottenKeysAndTheLeastRecentlyUsedBeyondTheCapacityAreGone() {
        RecentManifests recent = new RecentManifests(2);
        recent.committed(stored("a", "v1", 1));
        recent.committed(stored("b", "v2", 2));
        recent.get("a");
        recent.committed(stored("c", "v3", 3));

        assertThat(recent.get("b")).isEmpty();
        assertThat(recent.get("a")).isPresent();
        recent.forget("a");
        assertThat(recent.get("a")).isEmpty();
        assertThat(recent.get("c")).isPresent();
    }

    @Test
    void valuesStayWithinTheirBudget() {
        RecentManifests recent = new RecentManifests(10_000);
        int count = (int) (RecentManifests.MAX_VALUES / RecentManifests.MAX_VALUE) + 1;
        for (int i = 0; i < count; i++) {
            VersionedManifest stored = stored("k" + i, "v" + i, i + 1);
            recent.committed(stored);
            recent.committedValue(stored.manifest(), new byte[RecentManifests.MAX_VALUE]);
        }
        assertThat(recent.value(stored("k0", "v0", 1))).as("the eldest value dropped").isEmpty();
        assertThat(recent.get("k0")).as("its manifest kept").isPresent();
        assertThat(recent.value(stored("k" + (count - 1), "v" + (count - 1), count))).isPresent();

        VersionedManifest large = stored("large", "v-large", count + 1);
        recent.committed(large);
        recent.committedValue(large.manifest(), new byte[RecentManifests.MAX_VALUE + 1]);
        assertThat(recent.value(large)).isEmpty();
    }
}
