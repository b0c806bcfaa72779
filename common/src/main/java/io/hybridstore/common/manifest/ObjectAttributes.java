package io.hybridstore.common.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * What an S3 client stored beside an object's bytes and gets back on every read: the ETag (hex MD5 of the body)
 * and the headers S3 keeps (user metadata {@code x-amz-meta-*} and the content headers). Objects written through
 * the native API have none.
 *
 * @param etag     the hex MD5 of the body, unquoted
 * @param metadata user metadata, names lower-case without the {@code x-amz-meta-} prefix
 * @param headers  {@code cache-control}, {@code content-disposition}, {@code content-encoding},
 *                 {@code content-language}, {@code expires}, as sent
 * @param parts    a multipart upload's part sizes in order, so a read can ask for one part; empty otherwise
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectAttributes(String etag, Map<String, String> metadata, Map<String, String> headers,
                               List<Long> parts) {

    public ObjectAttributes {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    /** What a single PutObject, CopyObject or part stores. */
    public ObjectAttributes(String etag, Map<String, String> metadata, Map<String, String> headers) {
        this(etag, metadata, headers, List.of());
    }
}
