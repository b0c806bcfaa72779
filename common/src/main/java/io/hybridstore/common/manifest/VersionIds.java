package io.hybridstore.common.manifest;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Version ids that sort by creation time and are unique across gateways without coordination: 12 hex digits of
 * epoch milliseconds, a per-process sequence, and 8 random bytes. They are also valid blob-id prefixes.
 */
public final class VersionIds {

    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private final SecureRandom random = new SecureRandom();

    public VersionIds(Clock clock) {
        this.clock = clock;
    }

    /** When the version was created, by the clock of the gateway that named it; empty for what is not a version id. */
    public static Optional<Instant> createdAt(String version) {
        if (version.length() < 13 || version.charAt(0) != 'v') {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(version, 1, 13, 16)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public String next() {
        byte[] nonce = new byte[8];
        random.nextBytes(nonce);
        return "v%012x-%04x-%s".formatted(clock.millis(), sequence.getAndIncrement() & 0xffff,
                HexFormat.of().formatHex(nonce));
    }
}
