package io.hybridstore.gateway.write;

import io.hybridstore.common.manifest.Strategy;

import java.util.Optional;

/**
 * A merge write: the patch's top-level fields laid over the stored object's. Without a strategy the stored
 * object's is kept.
 */
public record MergeRequest(String key, Optional<Strategy> strategy, WriteBody patch) {
}
