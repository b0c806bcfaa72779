package io.hybridstore.systemtest;

import io.hybridstore.common.auth.ClusterAuth;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain HTTP client of the public API, as any user's would be; or, given the cluster's secret, of a storage node's
 * or healer's internal endpoints, signing each request as the cluster's own services do.
 */
final class Api {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final Duration requestTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ClusterAuth signer;

    Api(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(60));
    }

    /** A client that gives up on any answer slower than {@code requestTimeout} (an IllegalStateException). */
    Api(String baseUrl, Duration requestTimeout) {
        this(baseUrl, requestTimeout, null);
    }

    /** @param signer signs every request with the cluster's secret; null for none */
    Api(String baseUrl, Duration requestTimeout, ClusterAuth signer) {
        this.baseUrl = baseUrl;
        this.requestTimeout = requestTimeout;
        this.signer = signer;
    }

    record Response(int status, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    Response write(String key, String strategy, String json) {
        return write(key, strategy, false, json.getBytes(StandardCharsets.UTF_8));
    }

    Response write(String key, String strategy, boolean hotOnly, byte[] json) {
        return post("/write?key=" + encode(key) + "&strategy=" + strategy + (hotOnly ? "&hot_only=true" : ""),
                "application/json", json);
    }

    Response read(String key) {
        return get("/read/" + encodePath(key));
    }

    Response delete(String key) {
        return send(HttpRequest.newBuilder(uri("/delete/" + encodePath(key))).DELETE());
    }

    /** {@code total_system_size} of {@code /storage_usage}: the bytes every node holds. */
    long storageUsage() {
        return get("/storage_usage").json().get("total_system_size").asLong();
    }

    /**
     * The storage usage once it is {@code expected}, else as it is after 10 s: an overwrite's displaced blobs are
     * deleted shortly after its answer ({@code hybridstore.gateway.discard.delay}), not before it.
     */
    long storageUsageOnceAt(long expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long usage = storageUsage();
        while (usage != expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            usage = storageUsage();
        }
        return usage;
    }

    Response get(String pathAndQuery) {
        return call("GET", pathAndQuery, null, null);
    }

    Response post(String pathAndQuery, String contentType, byte[] body) {
        return call("POST", pathAndQuery, contentType, body);
    }

    /**
     * Any request, {@code pathAndQuery} sent exactly as written; signed when this client has the cluster's secret.
     *
     * @param headers further headers, as name, value, name, value...
     */
    Response call(String method, String pathAndQuery, String contentType, byte[] body, String... headers) {
        byte[] bytes = body == null ? new byte[0] : body;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        if (signer != null) {
            signer.httpHeaders(method, pathAndQuery, bytes).forEach(request::header);
        }
        return send(request);
    }

    Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = http.send(request.timeout(requestTimeout).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create(baseUrl + pathAndQuery);
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Percent-encodes each path segment, keeping the '/' between them, as the API reads keys with slashes. */
    static String encodePath(String key) {
        String[] segments = key.split("/", -1);
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            path.append(i == 0 ? "" : "/").append(encode(segments[i]));
        }
        return path.toString();
    }
}
