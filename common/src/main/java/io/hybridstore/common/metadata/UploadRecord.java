package io.hybridstore.common.metadata;

import tools.jackson.databind.json.JsonMapper;

import java.util.Map;
import java.util.Optional;

/**
 * An S3 multipart upload in progress, as etcd holds it ({@code uploads/<bucket>/<upload id>}): the key it completes
 * and what the object will carry. Its parts are ordinary manifests under {@link #partsPrefix}, object keys that no
 * client can name (a control character first: native keys refuse them, S3 keys always follow their bucket).
 *
 * @param initiated when the upload was created, in epoch milliseconds
 */
public record UploadRecord(String key, long initiated, String contentType, Map<String, String> metadata,
                           Map<String, String> headers) {

    /** Where every part of every upload lives among the object keys. */
    public static final String PARTS = "\u0001upload/";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public UploadRecord {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The object key of a part; the part number has five digits, so parts list in order. */
    public static String partKey(String uploadId, int partNumber) {
        return partsPrefix(uploadId) + String.format("%05d", partNumber);
    }

    public static String partsPrefix(String uploadId) {
        return PARTS + uploadId + "/";
    }

    /** The upload a part's object key belongs to, or empty for any other key. */
    public static Optional<String> uploadOfPart(String objectKey) {
        if (!objectKey.startsWith(PARTS)) {
            return Optional.empty();
        }
        int slash = objectKey.indexOf('/', PARTS.length());
        return slash < 0 ? Optional.empty() : Optional.of(objectKey.substring(PARTS.length(), slash));
    }

    public static int partNumber(String partKey) {
        return Integer.parseInt(partKey.substring(partKey.lastIndexOf('/') + 1));
    }

    public byte[] toJson() {
        return JSON.writeValueAsBytes(this);
    }

    public static UploadRecord fromJson(byte[] json) {
        return JSON.readValue(json, UploadRecord.class);
    }
}
