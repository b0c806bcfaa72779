package io.hybridstore.gateway.write;

import io.hybridstore.common.manifest.Manifest;

import java.util.Map;

/**
 * What a committed write did.
 *
 * @param manifest the committed manifest
 * @param details  the strategy's own answer fields ({@code nodes_written}, {@code chunks_written},
 *                 {@code is_pure_hot_update}, ...), in the order they are answered
 */
public record WriteOutcome(Manifest manifest, Map<String, Object> details) {
}
