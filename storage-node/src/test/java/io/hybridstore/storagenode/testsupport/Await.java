package io.hybridstore.storagenode.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

public final class Await {

    private Await() {
    }

    public static void until(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
