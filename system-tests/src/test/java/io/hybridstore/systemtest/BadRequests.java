package io.hybridstore.systemtest;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.auth.ClusterSecrets;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The table of malformed requests and the status each must get, with a JSON {@code {"error", "detail"}} body:
 * through nginx to the gateways, and straight to a storage node. Paths are sent exactly as written here (the
 * HTTP client neither normalises dot segments nor re-encodes).
 */
final class BadRequests {

    /** A key the table's writes aim at; the suite stores it first and checks that it never changes. */
    static final String VICTIM = "bad-input/victim";

    enum Target { GATEWAY, STORAGE_NODE, HEALER }

    /**
     * What a request to a node or healer carries as proof that it comes from the cluster: a valid signature, none,
     * one made with another secret, one made ten minutes ago, or a valid one for another body (a replay).
     */
    enum Proof {
        SIGNED, NONE, FOREIGN_SECRET, STALE, OTHER_BODY,
        /** Client credentials: the root key with a wrong secret, a scheme other than Bearer, a key limited to one prefix. */
        WRONG_SECRET, NOT_BEARER, LIMITED_KEY
    }

    /** The key LIMITED_KEY sends: it may read {@value #GRANTED_PREFIX} and nothing else; created once per run. */
    static final String GRANTED_PREFIX = "bad-input-granted/";
    private static String limitedBearer;

    private static synchronized String limitedBearer(LocalCluster cluster) {
        if (limitedBearer == null) {
            Api.Response created = new Api(cluster.gatewayUrl()).call("POST", "/admin/access-keys", "application/json",
                    bytes("{\"grants\":[{\"prefix\":\"" + GRANTED_PREFIX + "\",\"access\":\"read\"}]}"),
                    "Authorization", "Bearer " + cluster.s3Key().get(0) + ":" + cluster.s3Key().get(1));
            if (created.status() != 201) {
                throw new IllegalStateException("could not create the limited key: " + created.text());
            }
            limitedBearer = "Bearer " + created.json().path("access_key").asString() + ":"
                    + created.json().path("secret_key").asString();
        }
        return limitedBearer;
    }

    /**
     * {@code checksum}, when not null, is sent as a storage node's X-Checksum-CRC32C header; {@code expected} holds
     * the documented statuses (one, but for a limit the README lets the gateway answer with either of two).
     */
    record BadRequest(String name, Target target, Proof proof, String method, String pathAndQuery, String contentType,
                      byte[] body, String checksum, Set<Integer> expected) {

        Api.Response send(LocalCluster cluster) {
            String base = switch (target) {
                case GATEWAY -> cluster.gatewayUrl();
                case STORAGE_NODE -> cluster.storageNodeUrl(1);
                case HEALER -> cluster.healerUrl(1);
            };
            HttpRequest.BodyPublisher publisher = body == null
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).method(method, publisher);
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            if (checksum != null) {
                request.header("X-Checksum-CRC32C", checksum);
            }
            byte[] signed = body == null ? new byte[0] : body;
            ClusterAuth secret = cluster.clusterAuth();
            Map<String, String> proofHeaders = switch (proof) {
                case SIGNED -> target == Target.GATEWAY ? Map.of() : secret.httpHeaders(method, pathAndQuery, signed);
                case NONE -> Map.of();
                case FOREIGN_SECRET -> new ClusterAuth(ClusterSecrets.of("the-secret-of-some-other-cluster"),
                        Duration.ofMinutes(5), Clock.systemUTC()).httpHeaders(method, pathAndQuery, signed);
                case STALE -> cluster.clusterAuth(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)))
                        .httpHeaders(method, pathAndQuery, signed);
                case OTHER_BODY -> secret.httpHeaders(method, pathAndQuery, bytes("{\"ids\":[\"signed-for-this\"]}"));
                case WRONG_SECRET -> Map.of("Authorization", "Bearer " + cluster.s3Key().get(0) + ":not-its-secret");
                case NOT_BEARER -> Map.of("Authorization", "Basic YWRtaW46YWRtaW4=");
                case LIMITED_KEY -> Map.of("Authorization", limitedBearer(cluster));
            };
            proofHeaders.forEach(request::header);
            return new Api(base).send(request);
        }

        boolean accepts(int status) {
            return expected.contains(status);
        }

        @Override
        public String toString() {
            return name + " -> " + expected.stream().sorted().map(String::valueOf).collect(Collectors.joining(" or "));
        }
    }

    /** What a slow sender got: a status and body, or {@code closed} (the connection ended without an answer). */
    record SlowAnswer(boolean closed, int status, String text) {

        @Override
        public String toString() {
            return closed ? "connection closed without an answer" : status + " " + text;
        }
    }

    private BadRequests() {
    }

    /**
     * A write to the victim key through nginx that declares a megabyte but sends a few bytes and then nothing, as a
     * stalled or malicious client would. The server must give up on it: a 4xx, or closing the connection.
     */
    static SlowAnswer slowSender(LocalCluster cluster, Duration patience) throws IOException {
        URI base = URI.create(cluster.gatewayUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) patience.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(bytes("POST /write?key=" + Api.encode(VICTIM) + " HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{\"a\":\""));
            out.flush();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                for (int read; !complete(answer) && (read = socket.getInputStream().read(buffer)) >= 0; ) {
                    answer.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketException reset) {
                return new SlowAnswer(true, 0, String.valueOf(reset.getMessage()));
            } catch (SocketTimeoutException stalled) {
                return new SlowAnswer(false, 0, "no answer within " + patience + ": " + answer);
            }
            if (answer.isEmpty()) {
                return new SlowAnswer(true, 0, "");
            }
            String text = answer.toString();
            int status = Integer.parseInt(text.substring(text.indexOf(' ') + 1, text.indexOf(' ') + 4));
            int bodyAt = text.indexOf("\r\n\r\n");
            String body = bodyAt < 0 ? "" : text.substring(bodyAt + 4);
            return new SlowAnswer(false, status, bodyAt >= 0 && chunked(text.substring(0, bodyAt)) ? dechunk(body) : body);
        }
    }

    /** Whether the head and the whole body (by Content-Length, or up to the last chunk) have arrived. */
    private static boolean complete(StringBuilder answer) {
        int bodyAt = answer.indexOf("\r\n\r\n");
        if (bodyAt < 0) {
            return false;
        }
        String head = answer.substring(0, bodyAt).toLowerCase(java.util.Locale.ROOT);
        int length = head.indexOf("\r\ncontent-length:");
        if (length >= 0) {
            int end = head.indexOf("\r\n", length + 2);
            String value = head.substring(length + 17, end < 0 ? head.length() : end).strip();
            return answer.length() - bodyAt - 4 >= Integer.parseInt(value);
        }
        return chunked(head) && answer.toString().endsWith("0\r\n\r\n");
    }

    private static boolean chunked(String head) {
        return head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int line = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, line).strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(body, line + 2, line + 2 + size);
            at = line + 2 + size + 2;
        }
    }

    static List<BadRequest> all() {
        String k = "key=" + Api.encode(VICTIM);
        byte[] ok = bytes("{\"a\":1}");
        String json = "application/json";
        String hybrid = "/write?" + k + "&strategy=field_hybrid";
        String octets = "application/octet-stream";
        return List.of(
                // keys
                write("no key", "/write?strategy=replication", json, ok, 400),
                write("empty key", "/write?key=", json, ok, 400),
                write("key over 1024 bytes", "/write?key=" + "k".repeat(1025), json, ok, 400),
                write("key over 1024 bytes of multi-byte UTF-8", "/write?key=" + Api.encode("é".repeat(513)), json, ok, 400),
                write("control character in key", "/write?key=a%01b", json, ok, 400),
                write("NUL in key", "/write?key=a%00b", json, ok, 400),
                write("newline in key", "/write?key=a%0Ab", json, ok, 400),
                write("invalid UTF-8 in key", "/write?key=%C3%28", json, ok, 400),
                write("path traversal in key", "/write?key=" + Api.encode("../../etc/passwd"), json, ok, 400),
                write("dot segment in key", "/write?key=" + Api.encode("a/./b"), json, ok, 400),
                // parameters
                write("unknown parameter", "/write?" + k + "&stratgy=ec", json, ok, 400),
                write("repeated parameter", "/write?" + k + "&strategy=ec&strategy=ec", json, ok, 400),
                write("hot_only without field_hybrid", "/write?" + k + "&hot_only=true", json, ok, 400),
                write("hot_only not a boolean", "/write?" + k + "&strategy=field_hybrid&hot_only=maybe", json, ok, 400),
                write("merge not a boolean", "/write?" + k + "&merge=yes", json, ok, 400),
                write("merge with hot_only", "/write?" + k + "&strategy=field_hybrid&hot_only=true&merge=true", json, ok, 400),
                write("merge into a key that does not exist", "/write?key=bad-input%2Fabsent&merge=true", json, ok, 404),
                write("unknown strategy", "/write?" + k + "&strategy=raid5", json, ok, 422),
                // content types
                write("wrong content type", "/write?" + k, "text/plain", ok, 415),
                write("missing content type", "/write?" + k, null, ok, 415),
                write("JSON in a charset other than UTF-8", "/write?" + k, "application/json; charset=ISO-8859-1", ok, 415),
                write("XML content type", "/write?" + k, "application/xml", ok, 415),
                // bodies
                write("0-byte body", "/write?" + k, json, new byte[0], 422),
                write("whitespace body", "/write?" + k, json, bytes("  \n"), 422),
                write("JSON array", "/write?" + k, json, bytes("[1,2]"), 422),
                write("JSON string", "/write?" + k, json, bytes("\"x\""), 422),
                write("JSON number", "/write?" + k, json, bytes("42"), 422),
                write("JSON null", "/write?" + k, json, bytes("null"), 422),
                write("empty object", "/write?" + k, json, bytes("{}"), 422),
                write("truncated JSON", "/write?" + k, json, bytes("{\"a\": 1"), 422),
                write("trailing garbage", "/write?" + k, json, bytes("{\"a\":1} x"), 422),
                write("two objects", "/write?" + k, json, bytes("{\"a\":1}{\"b\":2}"), 422),
                write("duplicate keys", "/write?" + k, json, bytes("{\"a\":1,\"a\":2}"), 422),
                write("nesting one over the limit (65)", "/write?" + k, json, nested(64), 422),
                write("deeply nested (500)", "/write?" + k, json, nested(500), 422),
                write("invalid UTF-8", "/write?" + k, json,
                        new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, 422),
                write("over the body limit", "/write?" + k, json, oversized(), 413),
                // bodies the strict UTF-8 rules reject (invalid_json); long numbers and names are valid JSON, accepted
                // and read back by every strategy alike (HostileInputTest), so they are not bad input
                write("UTF-16LE with a BOM", hybrid, json, utf16le(true), 422),
                write("UTF-16LE without a BOM", hybrid, json, utf16le(false), 422),
                write("overlong UTF-8 ('/' as C0 AF)", hybrid, json, inString(0xC0, 0xAF), 422),
                write("overlong UTF-8 (3 bytes for '/')", hybrid, json, inString(0xE0, 0x80, 0xAF), 422),
                write("an encoded surrogate (CESU-style ED A0 80)", hybrid, json, inString(0xED, 0xA0, 0x80), 422),
                write("a code point above U+10FFFF (F4 90 80 80)", hybrid, json, inString(0xF4, 0x90, 0x80, 0x80), 422),
                new BadRequest("100,000 top-level fields in 2 MB", Target.GATEWAY, Proof.NONE, "POST", hybrid, json, manyFields(100_000),
                        null, Set.of(413, 422)),
                write("a form body", "/write?" + k, "application/x-www-form-urlencoded", bytes("a=1&b=2"), 415),
                // reads, deletes, routes
                gateway("read of an unknown key", "GET", "/read/bad-input/never-written", 404),
                gateway("delete of an unknown key", "DELETE", "/delete/bad-input/never-written", 404),
                gateway("read with path traversal", "GET", "/read/../../etc/passwd", 400),
                gateway("read with encoded path traversal", "GET", "/read/..%2F..%2Fetc%2Fpasswd", 400),
                gateway("read with encoded dots", "GET", "/read/%2e%2e/%2e%2e/etc/passwd", 400),
                gateway("read with a dot segment inside the key", "GET", "/read/a%2F..%2Fb", 400),
                gateway("read with NUL in key", "GET", "/read/x%00y", 400),
                gateway("read with invalid UTF-8 key", "GET", "/read/a%C3%28", 400),
                gateway("read with a key over 1024 bytes", "GET", "/read/" + "k".repeat(1100), 400),
                gateway("read with an empty key", "GET", "/read/", 400),
                gateway("delete with path traversal", "DELETE", "/delete/..%2F..%2F" + Api.encode(VICTIM), 400),
                gateway("delete with an empty key", "DELETE", "/delete/", 400),
                gateway("unknown route", "GET", "/no/such/call", 404),
                gateway("GET on /write", "GET", "/write?" + k, 405),
                gateway("PUT on /write", "PUT", "/write?" + k, 405),
                // storage nodes, directly
                node("blob id with a bad character", "PUT", "/blobs/bad%24id", octets, bytes("x"), 400),
                node("blob id starting with a dot", "PUT", "/blobs/.hidden", octets, bytes("x"), 400),
                node("blob id over 200 characters", "PUT", "/blobs/" + "a".repeat(201), octets, bytes("x"), 400),
                node("blob id with encoded path traversal", "GET", "/blobs/..%2F..%2Fetc%2Fpasswd", null, null, 400),
                node("blob id '..'", "GET", "/blobs/..", null, null, 400),
                node("blob id with an encoded backslash", "DELETE", "/blobs/a%5Cb", null, null, 400),
                node("blob put with a malformed checksum", "PUT", "/blobs/bad-input.crc", octets, bytes("x"), 400,
                        "abc"),
                node("blob put with a wrong checksum", "PUT", "/blobs/bad-input.crc", octets, bytes("x"), 400, "12"),
                node("listing after a bad blob id", "GET", "/blobs?after=..%2Fx", null, null, 400),
                node("listing after invalid UTF-8", "GET", "/blobs?after=%C3%28", null, null, 400),
                node("listing limit 0", "GET", "/blobs?limit=0", null, null, 400),
                node("listing limit not a number", "GET", "/blobs?limit=abc", null, null, 400),
                node("check with path traversal", "POST", "/blobs/check", json, bytes("{\"ids\":[\"../../etc/passwd\"]}"), 400),
                node("check with a non-object body", "POST", "/blobs/check", json, bytes("[]"), 400),
                node("check with truncated JSON", "POST", "/blobs/check", json, bytes("{"), 400),
                // internal endpoints without the cluster's proof: refused, nothing done
                unproven("unsigned blob put", Target.STORAGE_NODE, Proof.NONE, "PUT", "/blobs/bad-input.planted", octets,
                        bytes("planted")),
                unproven("unsigned blob delete", Target.STORAGE_NODE, Proof.NONE, "DELETE", "/blobs/bad-input.x", null,
                        null),
                unproven("unsigned blob listing", Target.STORAGE_NODE, Proof.NONE, "GET", "/blobs?limit=10", null, null),
                unproven("unsigned blob check", Target.STORAGE_NODE, Proof.NONE, "POST", "/blobs/check", json,
                        bytes("{\"ids\":[\"a\"]}")),
                unproven("unsigned node info", Target.STORAGE_NODE, Proof.NONE, "GET", "/info", null, null),
                unproven("unsigned compaction", Target.STORAGE_NODE, Proof.NONE, "POST", "/compact", null, null),
                unproven("blob put signed with another cluster's secret", Target.STORAGE_NODE, Proof.FOREIGN_SECRET,
                        "PUT", "/blobs/bad-input.planted", octets, bytes("planted")),
                unproven("blob put signed ten minutes ago", Target.STORAGE_NODE, Proof.STALE, "PUT",
                        "/blobs/bad-input.planted", octets, bytes("planted")),
                unproven("signed check replayed with another body", Target.STORAGE_NODE, Proof.OTHER_BODY, "POST",
                        "/blobs/check", json, bytes("{\"ids\":[\"replayed\"]}")),
                unproven("unsigned scan", Target.HEALER, Proof.NONE, "POST", "/scan", null, null),
                unproven("unsigned scrub", Target.HEALER, Proof.NONE, "POST", "/scrub", null, null),
                unproven("unsigned healer status", Target.HEALER, Proof.NONE, "GET", "/status", null, null),
                unproven("scan signed with another cluster's secret", Target.HEALER, Proof.FOREIGN_SECRET, "POST",
                        "/scan", null, null),
                // client credentials on the native API: refused whatever hybridstore.gateway.auth says, nothing done
                client("read with the root key and a wrong secret", Proof.WRONG_SECRET, "GET", "/read/bad-input-k",
                        null, 401),
                client("write with Basic credentials", Proof.NOT_BEARER, "POST",
                        "/write?key=bad-input-basic&strategy=replication", bytes("{\"a\":1}"), 401),
                client("admin call without a key", Proof.NONE, "GET", "/admin/access-keys", null, 401),
                client("admin call with a limited key", Proof.LIMITED_KEY, "POST", "/admin/access-keys",
                        bytes("{\"root\":true}"), 403),
                client("read outside the key's grants", Proof.LIMITED_KEY, "GET", "/read/bad-input-elsewhere", null,
                        403),
                client("write inside a read-only grant", Proof.LIMITED_KEY, "POST",
                        "/write?key=" + GRANTED_PREFIX + "planted&strategy=replication", bytes("{\"a\":1}"), 403),
                client("delete inside a read-only grant", Proof.LIMITED_KEY, "DELETE",
                        "/delete/" + GRANTED_PREFIX + "x", null, 403));
    }

    private static BadRequest write(String name, String pathAndQuery, String contentType, byte[] body, int expected) {
        return new BadRequest(name, Target.GATEWAY, Proof.NONE, "POST", pathAndQuery, contentType, body, null,
                Set.of(expected));
    }

    private static BadRequest gateway(String name, String method, String pathAndQuery, int expected) {
        return new BadRequest(name, Target.GATEWAY, Proof.NONE, method, pathAndQuery, null, null, null,
                Set.of(expected));
    }

    private static BadRequest node(String name, String method, String path, String contentType, byte[] body, int expected) {
        return node(name, method, path, contentType, body, expected, null);
    }

    private static BadRequest node(String name, String method, String path, String contentType, byte[] body, int expected,
                                   String checksum) {
        return new BadRequest(name, Target.STORAGE_NODE, Proof.SIGNED, method, path, contentType, body, checksum,
                Set.of(expected));
    }

    private static BadRequest client(String name, Proof proof, String method, String pathAndQuery, byte[] body,
                                     int expected) {
        return new BadRequest(name, Target.GATEWAY, proof, method, pathAndQuery, body == null ? null : "application/json",
                body, null, Set.of(expected));
    }

    /** A request to an internal endpoint without valid proof: 401, whatever it asks. */
    private static BadRequest unproven(String name, Target target, Proof proof, String method, String path,
                                       String contentType, byte[] body) {
        return new BadRequest(name, target, proof, method, path, contentType, body, null, Set.of(401));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {"a":"x"} in UTF-16LE, which is valid JSON in an encoding the API does not take. */
    private static byte[] utf16le(boolean bom) {
        byte[] text = "{\"a\":\"x\"}".getBytes(StandardCharsets.UTF_16LE);
        if (!bom) {
            return text;
        }
        byte[] withBom = new byte[text.length + 2];
        withBom[0] = (byte) 0xFF;
        withBom[1] = (byte) 0xFE;
        System.arraycopy(text, 0, withBom, 2, text.length);
        return withBom;
    }

    /** {"a":"x…x"} with the given bytes in the string: sequences a strict UTF-8 decoder must refuse. */
    private static byte[] inString(int... sequence) {
        byte[] head = bytes("{\"a\":\"x");
        byte[] tail = bytes("x\"}");
        byte[] body = Arrays.copyOf(head, head.length + sequence.length + tail.length);
        for (int i = 0; i < sequence.length; i++) {
            body[head.length + i] = (byte) sequence[i];
        }
        System.arraycopy(tail, 0, body, head.length + sequence.length, tail.length);
        return body;
    }

    /** An object of that many short fields, padded to about 2 MB, well under the body limit. */
    private static byte[] manyFields(int count) {
        StringBuilder json = new StringBuilder(2 * 1024 * 1024).append('{');
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":\"").append("x".repeat(10)).append('"');
        }
        return bytes(json.append('}').toString());
    }

    private static byte[] nested(int depth) {
        return bytes("{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
    }

    /** One byte over the limit the test cluster runs with (HYBRIDSTORE_GATEWAY_MAX_BODY_SIZE, see LocalCluster). */
    private static byte[] oversized() {
        byte[] body = new byte[LocalCluster.MAX_BODY_BYTES + 1];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';
        return body;
    }
}
