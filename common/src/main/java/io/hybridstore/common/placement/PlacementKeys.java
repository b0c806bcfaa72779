package io.hybridstore.common.placement;

import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Strategy;

/**
 * The rendezvous placement keys of an object's parts. The gateway places a fresh write with them and the healer
 * places a replacement with them, so a repaired blob lands where a new write of the same object would have put it.
 */
public final class PlacementKeys {

    private PlacementKeys() {
    }

    /** The replicated hot part of a {@code field_hybrid} object. */
    public static String hot(String key) {
        return key + "#hot";
    }

    /** The erasure-coded cold part of a {@code field_hybrid} object. */
    public static String cold(String key) {
        return key + "#cold";
    }

    /** Stripe {@code stripe} of the striped part placed under {@code partKey}. */
    public static String stripe(String partKey, int stripe) {
        return partKey + "#" + stripe;
    }

    /** The placement key of {@code manifest}'s replicated part. */
    public static String replicated(Manifest manifest) {
        return manifest.strategy() == Strategy.FIELD_HYBRID ? hot(manifest.key()) : manifest.key();
    }

    /** The placement key of stripe {@code stripe} of {@code manifest}'s erasure-coded part. */
    public static String stripe(Manifest manifest, int stripe) {
        return stripe(manifest.strategy() == Strategy.FIELD_HYBRID ? cold(manifest.key()) : manifest.key(), stripe);
    }
}
