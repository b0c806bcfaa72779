package io.hybridstore.gateway.write;

import io.hybridstore.common.manifest.Strategy;

/** A write whose parameters are validated; its body is checked as it is read. */
public record WriteRequest(String key, Strategy strategy, boolean hotOnly, WriteBody body) {
}
