package io.hybridstore.healer.repair;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blob ids of healer-written blobs: the original id plus {@code .r<n>}, one higher on every repair.
 *
 * <p>Why never the original id: the gateway deletes a displaced version's blobs by id. A healer working from a
 * manifest that was just displaced would re-create a blob the gateway had already deleted, and nothing would ever
 * reference it again. A fresh id is either committed by the healer's own conditional manifest update, or deleted
 * by the healer when that update loses.
 */
final class RepairedIds {

    private static final Pattern REPAIRED = Pattern.compile("(.*)\\.r(\\d+)");
    private static final Pattern INDEXED = Pattern.compile("(.*)\\.(\\d+)");

    private RepairedIds() {
    }

    /** The id a replacement for {@code blob} gets. */
    static String next(String blob) {
        Matcher m = REPAIRED.matcher(blob);
        return m.matches() ? m.group(1) + ".r" + (Long.parseLong(m.group(2)) + 1) : blob + ".r1";
    }

    /** The original id with every repair suffix removed: {@code <version>.<part>.<index>}. */
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
    static String fill(String sibling, int index) {
        Matcher m = INDEXED.matcher(original(sibling));
        String part = m.matches() ? m.group(1) : original(sibling);
        return part + "." + index + ".r1";
    }
}
