package io.hybridstore.gateway.s3.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a SigV4 signature covers, as it arrived: the raw (still percent-encoded) path and query, and the headers by
 * lower-case name with their values in arrival order.
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {

    public Optional<String> header(String lowerName) {
        List<String> values = headers.get(lowerName);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
