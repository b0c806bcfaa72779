package io.hybridstore.common.placement;

import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Strategy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementKeysTest {

    @Test
    void wholeValueObjectsArePlacedByTheirKey() {
        Manifest ec = manifest(Strategy.EC);
        assertThat(PlacementKeys.replicated(manifest(Strategy.REPLICATION))).isEqualTo("k");
        assertThat(PlacementKeys.stripe(ec, 2)).isEqualTo("k#2").isEqualTo(PlacementKeys.stripe("k", 2));
    }

    @Test
    void hybridPartsArePlacedApart() {
        Manifest hybrid = manifest(Strategy.FIELD_HYBRID);
        assertThat(PlacementKeys.replicated(hybrid)).isEqualTo("k#hot").isEqualTo(PlacementKeys.hot("k"));
        assertThat(PlacementKeys.stripe(hybrid, 0)).isEqualTo("k#cold#0")
                .isEqualTo(PlacementKeys.stripe(PlacementKeys.cold("k"), 0));
    }

    private static Manifest manifest(Strategy strategy) {
        return new Manifest("k", "v1", strategy, "application/json", 1, "s", 0, null, null, List.of());
    }
}
