package io.hybridstore.healer.leadership;

/**
 * How a healer that can no longer do its work gives up leadership for good, so that another healer takes over
 * instead of this one holding the lease with a dead loop.
 */
@FunctionalInterface
public interface Abdication {

    void abdicate(String reason);
}
