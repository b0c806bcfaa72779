package io.hybridstore.healer.repair;

import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blob ids of healer-written blobs: the original id plus {@code .r<attempt>}, where {@code <attempt>} is a random
 * token drawn once per repair attempt and shared by every blob that attempt writes.
 *
 * <p>Why never the original id: the gateway deletes a displaced version's blobs by id. A healer working from a
 * manifest that was just displaced would re-create a blob the gateway had already deleted, and nothing would ever
 * reference it again. Why unique to the attempt: two repairs of one object from the same revision (the scrub beside
 * a hint, or an old leader whose commit lands late) would otherwise write the same ids, and the one whose
 * conditional commit loses would delete the blobs the winner committed.
 */
final class RepairedIds {

    private static final Pattern REPAIRED = Pattern.compile("(.*)\\.r[0-9a-z]+");
    private static final Pattern INDEXED = Pattern.compile("(.*)\\.(\\d+)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RepairedIds() {
    }

    /** A fresh attempt token: 64 random bits, base 36. */
    static String newAttempt() {
        return Long.toUnsignedString(RANDOM.nextLong(), Character.MAX_RADIX);
    }

    /** The id a replacement for {@code blob} gets in repair attempt {@code attempt}. */
    static String next(String blob, String attempt) {
        return original(blob) + ".r" + attempt;
    }

    /** The original id with the repair suffix removed: {@code <version>.<part>.<index>}. */
    static String original(String blob) {
        Matcher m = REPAIRED.matcher(blob);
        return m.matches() ? m.group(1) : blob;
    }

    /** The replica or shard index in an id, or -1 when the id carries none. */
    static int index(String blob) {
        Matcher m = INDEXED.matcher(original(blob));
        return m.matches() ? Integer.parseInt(m.group(2)) : -1;
    }

    /** The id of a blob the write never made, at {@code index} of the same part as {@code sibling}. */
    static String fill(String sibling, int index, String attempt) {
        Matcher m = INDEXED.matcher(original(sibling));
        String part = m.matches() ? m.group(1) : original(sibling);
        return part + "." + index + ".r" + attempt;
    }
}
