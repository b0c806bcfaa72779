package io.hybridstore.common.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for a {@link CompletableFuture} as if its work had run on the calling thread. */
public final class Futures {

    private Futures() {
    }

    /**
     * The future's value; when its work threw an unchecked exception, that exception itself rather than the
     * {@link CompletionException} wrapping it, so the caller's handlers see the type they map.
     */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
