package io.hybridstore.gateway.write;

import io.hybridstore.common.manifest.ObjectAttributes;
import io.hybridstore.common.manifest.Strategy;

import java.util.function.Supplier;

/**
 * A write whose parameters are validated; its body is checked as it is read.
 *
 * @param contentType what the manifest records and reads answer with
 * @param attributes  what an S3 client stores beside the bytes (null for the native API), asked for when the
 *                    manifest is built: the ETag is the MD5 of the body as it arrived
 * @param guard       what else the commit is conditional on
 */
public record WriteRequest(String key, Strategy strategy, boolean hotOnly, WriteBody body, String contentType,
                           Supplier<ObjectAttributes> attributes, CommitGuard guard) {

    public static final String JSON = "application/json";

    /** A native-API write: a JSON object, nothing stored beside it. */
    public WriteRequest(String key, Strategy strategy, boolean hotOnly, WriteBody body) {
        this(key, strategy, hotOnly, body, JSON, () -> null, CommitGuard.NONE);
    }
}
