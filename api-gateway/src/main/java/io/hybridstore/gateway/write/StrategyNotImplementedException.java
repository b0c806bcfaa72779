package io.hybridstore.gateway.write;

import io.hybridstore.common.manifest.Strategy;

/** A strategy that this build of the gateway does not write yet. */
public final class StrategyNotImplementedException extends RuntimeException {

    public StrategyNotImplementedException(Strategy strategy) {
        super("strategy " + strategy.wireName() + " is not implemented yet");
    }
}
