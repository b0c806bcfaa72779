package io.hybridstore.systemtest;

import java.time.Duration;

/**
 * How hard the reliability suite pushes. The defaults fit the README's test command (a few minutes on two cores);
 * each can be raised by hand with {@code -Dreliability.<name>=...} or {@code HS_RELIABILITY_<NAME>=...}, e.g.
 * {@code -Dreliability.operations=20000 -Dreliability.rounds=5}.
 *
 * @param seed          drives every random choice: keys, sizes, strategies, fault targets, bytes flipped
 * @param operations    client operations under faults (writes, overwrites, reads, deletes)
 * @param clients       concurrent clients; each owns keysPerClient keys (so their histories are sequential)
 * @param keysPerClient keys each client works on
 * @param sharedKeys    keys every client writes, merges, reads and deletes concurrently (a share of the operations)
 * @param maxValueBytes the largest value written (sizes are spread from 100 B up to this)
 * @param rounds        times the nemesis runs its whole schedule of faults
 * @param faultHold     how long each fault lasts before it is healed
 * @param requestTimeout a client gives up on an answer after this; the operation then counts as timed out
 * @param bitRotObjects objects stored for the bit-rot phase
 * @param bitRotFlips   blobs damaged on disk in the bit-rot phase
 */
record ReliabilitySettings(long seed, int operations, int clients, int keysPerClient, int sharedKeys,
                           int maxValueBytes, int rounds,
                           Duration faultHold, Duration requestTimeout, int bitRotObjects, int bitRotFlips) {

    static ReliabilitySettings fromEnvironment() {
        return new ReliabilitySettings(
                number("seed", System.currentTimeMillis()),
                (int) number("operations", 1200),
                (int) number("clients", 6),
                (int) number("keysPerClient", 6),
                (int) number("sharedKeys", 4),
                (int) number("maxValueBytes", 8 * 1024 * 1024),
                (int) number("rounds", 1),
                Duration.ofSeconds(number("faultHoldSeconds", 8)),
                Duration.ofSeconds(number("requestTimeoutSeconds", 30)),
                (int) number("bitRotObjects", 40),
                (int) number("bitRotFlips", 40));
    }

    private static long number(String name, long fallback) {
        String value = System.getProperty("reliability." + name);
        if (value == null) {
            value = System.getenv("HS_RELIABILITY_" + name.replaceAll("([A-Z])", "_$1").toUpperCase());
        }
        return value == null || value.isBlank() ? fallback : Long.parseLong(value.strip());
    }
}
