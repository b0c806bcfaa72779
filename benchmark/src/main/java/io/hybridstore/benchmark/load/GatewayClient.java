package io.hybridstore.benchmark.load;

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
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public API of a running cluster through one keep-alive HTTP/1.1 client, safe for concurrent use. HTTP/1.1 is
 * set explicitly: the JDK's default (HTTP/2) would send an h2c upgrade offer on every new connection, which nginx
 * ignores. Transport failures are answered as status -1, so a load generator counts them as errors and goes on.
 */
public final class GatewayClient {

    private static final Pattern BYTES_WRITTEN = Pattern.compile(
            "^hybridstore_storage_bytes_written_bytes_total(?:\\{[^}]*})? ([0-9.E+]+)$", Pattern.MULTILINE);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A status and the body; status -1 when the request did not get an answer. */
    public record Response(int status, byte[] body) {
        public boolean ok() {
            return status == 200;
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String url;
    private final Duration timeout;

    public GatewayClient(String url, Duration timeout) {
        this.url = url.replaceFirst("/+$", "");
        this.timeout = timeout;
    }

    public String url() {
        return url;
    }

    public int write(String key, String strategy, boolean hotOnly, byte[] body) {
        return post("/write?key=" + query(key) + "&strategy=" + strategy + (hotOnly ? "&hot_only=true" : ""), body);
    }

    /**
     * {@code merge=true}: the body's fields replace or join the stored object's, which must exist (else 404). The
     * answer's JSON says, among the rest, whether it was a pure hot update.
     */
    public Response merge(String key, String strategy, byte[] fields) {
        return postAnswered("/write?key=" + query(key) + "&strategy=" + strategy + "&merge=true", fields);
    }

    /** A write whose answer (its JSON: is_pure_hot_update and the rest) the caller reads. */
    public Response writeAnswered(String key, String strategy, byte[] body) {
        return postAnswered("/write?key=" + query(key) + "&strategy=" + strategy, body);
    }

    private Response postAnswered(String pathAndQuery, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(url + pathAndQuery))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A read of just the named top-level fields ({@code ?fields=}). */
    public Response readFields(String key, String fields) {
        return send(HttpRequest.newBuilder(URI.create(url + "/read/" + path(key) + "?fields=" + query(fields))).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A GET of {@code pathAndQuery} as written, answered as JSON. */
    public JsonNode getJson(String pathAndQuery) throws IOException, InterruptedException {
        return json(url + pathAndQuery);
    }

    private int post(String pathAndQuery, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(url + pathAndQuery))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.discarding()).status();
    }

    public Response read(String key) {
        return send(HttpRequest.newBuilder(URI.create(url + "/read/" + path(key))).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    public int delete(String key) {
        return send(HttpRequest.newBuilder(URI.create(url + "/delete/" + path(key))).DELETE(),
                HttpResponse.BodyHandlers.discarding()).status();
    }

    /** Blob bytes on all storage nodes ({@code /storage_usage}). */
    public long storageUsage() throws IOException, InterruptedException {
        return json(url + "/storage_usage").get("total_system_size").asLong();
    }

    /**
     * Sum of every storage node's bytes-written counter (blob records appended to its segments), from the nodes'
     * metrics: open to scrapers, while a node's other endpoints serve only the cluster's own services.
     */
    public long bytesWritten() throws IOException, InterruptedException {
        long total = 0;
        for (String node : json(url + "/node_status").propertyNames()) {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(node + "/actuator/prometheus"))
                    .timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
            Matcher counter = BYTES_WRITTEN.matcher(metrics.body());
            if (metrics.statusCode() != 200 || !counter.find()) {
                throw new IOException(node + " does not expose hybridstore_storage_bytes_written_bytes_total");
            }
            total += (long) Double.parseDouble(counter.group(1));
        }
        return total;
    }

    private <T> Response send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            HttpResponse<T> response = http.send(request.timeout(timeout).build(), handler);
            return new Response(response.statusCode(),
                    response.body() instanceof byte[] bytes ? bytes : new byte[0]);
        } catch (IOException e) {
            return new Response(-1, new byte[0]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, new byte[0]);
        }
    }

    private JsonNode json(String target) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(target)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(target + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    private static String query(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    /** Percent-encodes each path segment, keeping the slashes that the gateway reads as part of the key. */
    private static String path(String key) {
        StringJoiner out = new StringJoiner("/");
        for (String segment : key.split("/", -1)) {
            out.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }
}
