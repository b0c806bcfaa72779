package io.hybridstore.gateway.write;

import io.hybridstore.common.manifest.Strategy;

/** A validated write: the key, how to store it, and the exact bytes of the JSON object as the client sent them. */
public record WriteRequest(String key, Strategy strategy, boolean hotOnly, byte[] body) {
}
