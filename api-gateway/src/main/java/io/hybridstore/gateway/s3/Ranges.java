package io.hybridstore.gateway.s3;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Range header of GetObject: one byte range, as S3 supports (several ranges are answered with the whole object). */
final class Ranges {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private Ranges() {
    }

    /** Bytes {@code first} to {@code last}, inclusive. */
    record Range(long first, long last) {
        long length() {
            return last - first + 1;
        }
    }

    /** The range, or null when the header is not one S3 honours (then the whole object is the answer). */
    static Range parse(String header, long length) {
        Matcher m = SINGLE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty()) || tooLong(m.group(1)) || tooLong(m.group(2))) {
            return null;
        }
        Range range;
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0) {
                throw unsatisfiable(length);
            }
            range = new Range(Math.max(0, length - suffix), length - 1);
        } else {
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? length - 1 : Math.min(Long.parseLong(m.group(2)), length - 1);
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
                return null;
            }
            range = new Range(first, last);
        }
        if (range.first() >= length || range.last() < range.first()) {
            throw unsatisfiable(length);
        }
        return range;
    }

    private static boolean tooLong(String digits) {
        return digits.length() > 18;
    }

    private static S3Exception unsatisfiable(long length) {
        return new S3Exception(S3Error.INVALID_RANGE, "The requested range is not satisfiable (the object is "
                + length + " bytes)");
    }

    /** Passes on only the range's bytes of the whole value written through it. */
    static OutputStream slice(OutputStream out, Range range) {
        return new FilterOutputStream(out) {
            private long position;

            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                long from = Math.max(position, range.first());
                long to = Math.min(position + length, range.last() + 1);
                if (from < to) {
                    out.write(bytes, offset + (int) (from - position), (int) (to - from));
                }
                position += length;
            }
        };
    }
}
