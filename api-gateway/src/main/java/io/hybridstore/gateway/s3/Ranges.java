package io.hybridstore.gateway.s3;

import io.hybridstore.gateway.read.ByteRange;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Range header of GetObject: one byte range, as S3 supports (several ranges are answered with the whole object). */
final class Ranges {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private Ranges() {
    }

    /** The range, or null when the header is not one S3 honours (then the whole object is the answer). */
    static ByteRange parse(String header, long length) {
        Matcher m = SINGLE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty()) || tooLong(m.group(1)) || tooLong(m.group(2))) {
            return null;
        }
        long first;
        long last;
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0) {
                throw unsatisfiable(length);
            }
            first = Math.max(0, length - suffix);
            last = length - 1;
        } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? length - 1 : Math.min(Long.parseLong(m.group(2)), length - 1);
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
                return null;
            }
        }
        if (first >= length || last < first) {
            throw unsatisfiable(length);
        }
        return new ByteRange(first, last);
    }

    private static boolean tooLong(String digits) {
        return digits.length() > 18;
    }

    private static S3Exception unsatisfiable(long length) {
        return new S3Exception(S3Error.INVALID_RANGE, "The requested range is not satisfiable (the object is "
                + length + " bytes)");
    }
}
