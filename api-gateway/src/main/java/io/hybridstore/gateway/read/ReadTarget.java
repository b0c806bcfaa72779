package io.hybridstore.gateway.read;

import io.hybridstore.common.manifest.Manifest;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/** Where a streamed read goes: opened once, just before the first byte, when the version and length are known. */
@FunctionalInterface
public interface ReadTarget {

    /** {@code length} is what will be written: the whole value, or the range {@link #range} asked for. */
    OutputStream open(Manifest manifest, long length) throws IOException;

    /**
     * The bytes wanted of {@code manifest}'s version, asked once it is known and before anything is read, so that
     * a read of a range fetches only the stripes it covers (and a read the caller refuses, fetches nothing).
     */
    default Optional<ByteRange> range(Manifest manifest) {
        return Optional.empty();
    }
}
