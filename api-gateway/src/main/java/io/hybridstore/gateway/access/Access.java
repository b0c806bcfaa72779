package io.hybridstore.gateway.access;

import java.util.Locale;

/** What a grant lets its key do under a prefix: read (GET, HEAD, listings) or read and write (also PUT, DELETE). */
public enum Access {
    READ("read"), READ_WRITE("read-write");

    private final String wireName;

    Access(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether a grant of this access covers a request that needs {@code needed}. */
    boolean covers(Access needed) {
        return this == READ_WRITE || needed == READ;
    }

    /** {@code read}, {@code read-write} (or {@code rw}); anything else is refused with the names accepted. */
    public static Access of(String name) {
        String given = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return switch (given) {
            case "read" -> READ;
            case "read-write", "rw" -> READ_WRITE;
            default -> throw new IllegalArgumentException("access '" + name + "' is neither 'read' nor 'read-write'");
        };
    }
}
