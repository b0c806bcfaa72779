package io.hybridstore.healer.repair;

import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Strategy;

/**
 * The rendezvous placement keys the gateway used (api-gateway PartWriter, WholeValueDraft, HybridDraft), so that a
 * replacement lands where a fresh write of the same object would have put it.
 */
final class PlacementKeys {

    private PlacementKeys() {
    }

    static String replicated(Manifest manifest) {
        return manifest.strategy() == Strategy.FIELD_HYBRID ? manifest.key() + "#hot" : manifest.key();
    }

    static String stripe(Manifest manifest, int stripe) {
        String base = manifest.strategy() == Strategy.FIELD_HYBRID ? manifest.key() + "#cold" : manifest.key();
        return base + "#" + stripe;
    }
}
