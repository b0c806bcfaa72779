package io.hybridstore.gateway.read;

import io.hybridstore.common.manifest.Manifest;

import java.io.IOException;
import java.io.OutputStream;

/** Where a streamed read goes: opened once, just before the first byte, when the version and length are known. */
@FunctionalInterface
public interface ReadTarget {

    OutputStream open(Manifest manifest, long length) throws IOException;
}
