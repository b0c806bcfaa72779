package io.hybridstore.gateway.read;

/** Bytes {@code first} to {@code last} of a value, both included. */
public record ByteRange(long first, long last) {

    public ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
        }
    }

    public long length() {
        return last - first + 1;
    }
}
