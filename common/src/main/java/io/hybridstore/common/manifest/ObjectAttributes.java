package io.hybridstore.common.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;

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
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectAttributes(String etag, Map<String, String> metadata, Map<String, String> headers) {

    public ObjectAttributes {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
