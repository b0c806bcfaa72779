package io.hybridstore.gateway.write;

/**
 * A {@code hot_only=true} write refused because it would drop a cold change: the body's cold fields differ from the
 * stored ones, or there is no stored field_hybrid cold part to keep. Nothing was committed; unlike a
 * {@link WriteConflictException} no other writer is involved, so retrying the same request cannot succeed.
 */
public final class HotOnlyRefusedException extends RuntimeException {

    public HotOnlyRefusedException(String message) {
        super(message);
    }
}
