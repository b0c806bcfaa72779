package io.hybridstore.erasure;

/**
 * How the GF(256) arithmetic runs. All backends write identical bytes; they differ only in speed and in what the
 * machine must provide. The default is the fastest available one, or the one named by the system property
 * {@value Backends#PROPERTY} ({@code native}, {@code vector} or {@code scalar}).
 */
public enum Backend {
    /** ISA-L through the FFM API; needs {@code libisal.so.2} (Debian package libisal2). */
    NATIVE,
    /** Pure Java with {@code jdk.incubator.vector}; needs {@code --add-modules jdk.incubator.vector}. */
    VECTOR,
    /** Pure Java table lookups; always available. */
    SCALAR;

    /** Whether this backend loaded and passed its known-answer self-test on this JVM. */
    public boolean isAvailable() {
        return Backends.isAvailable(this);
    }

    /** The backend {@link ReedSolomon#create(int, int)} uses. */
    public static Backend preferred() {
        return Backends.preferred();
    }
}
