package io.hybridstore.storagenode.api;

import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.BlobCheck;
import io.hybridstore.common.node.BlobPage;
import io.hybridstore.common.node.BlobStat;
import io.hybridstore.common.node.BlobWire;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.NodeUsage;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import io.hybridstore.storagenode.testsupport.InJvmNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The node's blob API on real ports: the blob protocol through {@link StorageNodeClient} (puts, gets, deletes), and
 * HTTP for what the client does not send and for listing, checks and status.
 */
class BlobApiTest {

    @TempDir
    static Path dataDir;

    private static InJvmNode running;
    private static NodeInfo node;
    private static final StorageNodeClient client = new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(2), Duration.ofSeconds(10));
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startNode() {
        running = InJvmNode.start("api-test-node", dataDir,
                "hybridstore.storage-node.registration.enabled=false",
                "hybridstore.storage-node.max-blob-size=1KB");
        node = running.node();
    }

    @AfterAll
    static void stopNode() {
        running.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Signed as the cluster's services sign: what is refused here is refused for what it asks. */
    private static HttpResponse<String> send(String method, String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = TestAuth.signed(HttpRequest.newBuilder(URI.create(node.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body)), method, path, body == null ? new byte[0] : body);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode errorOf(HttpResponse<String> response) {
        JsonNode body = json.readTree(response.body());
        assertThat(body.has("error")).as("error field in " + response.body()).isTrue();
        assertThat(body.has("detail")).as("detail field in " + response.body()).isTrue();
        return body;
    }

    @Test
    void blobRoundTripsThroughTheClient() throws Exception {
        BlobId id = new BlobId("v1.data.0");
        byte[] data = bytes("round trip");
        long crc = Checksums.crc32c(data);

        client.put(node, id, data, crc);

        assertThat(client.get(node, id, OptionalLong.of(crc))).hasValueSatisfying(d -> assertThat(d).isEqualTo(data));
        HttpResponse<String> head = send("HEAD", "/blobs/" + id, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(data.length);
        assertThat(head.headers().firstValueAsLong(StorageNodeClient.CRC_HEADER)).hasValue(crc);
        client.delete(node, id);
        client.delete(node, id);
        assertThat(client.get(node, id, OptionalLong.empty())).isEmpty();
        assertThat(send("HEAD", "/blobs/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void bothTransportsServeTheSameBlobs() throws Exception {
        byte[] data = bytes("over the blob protocol");
        client.put(node, new BlobId("wire-put"), data, Checksums.crc32c(data));
        assertThat(send("PUT", "/blobs/http-put", bytes("over http")).statusCode()).isEqualTo(201);

        assertThat(send("GET", "/blobs/wire-put", null).body()).isEqualTo("over the blob protocol");
        assertThat(client.get(node, new BlobId("http-put"), OptionalLong.empty())).hasValue(bytes("over http"));
    }

    @Test
    void aPutWhoseBodyDoesNotMatchItsChecksumIsRefusedWithTheNodesError() {
        assertThatThrownBy(() -> client.put(node, new BlobId("flipped"), bytes("abc"), 1))
                .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("checksum_mismatch");
        assertThat(client.get(node, new BlobId("flipped"), OptionalLong.empty())).isEmpty();
    }

    @Test
    void deleteThatNeedNotBeDurableIsGoneAtOnce() throws Exception {
        BlobId id = new BlobId("v1.data.lazy");
        byte[] data = bytes("displaced");
        client.put(node, id, data, Checksums.crc32c(data));

        client.delete(node, id, false);

        assertThat(client.get(node, id, OptionalLong.empty())).isEmpty();
        assertThat(send("DELETE", "/blobs/v1.data.lazy?durable=maybe", null).statusCode()).isEqualTo(400);
    }

    @Test
    void oneRequestDiscardsManyBlobsAndIgnoresAbsentOnes() {
        List<BlobId> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(new BlobId("v" + i + ".hot.0"));
            client.put(node, ids.getLast(), bytes("copy " + i), Checksums.crc32c(bytes("copy " + i)));
        }
        ids.add(new BlobId("never-stored"));
        client.put(node, new BlobId("v-kept.hot.0"), bytes("kept"), Checksums.crc32c(bytes("kept")));

        client.discardMany(node, ids);

        assertThat(ids).allSatisfy(id -> assertThat(client.get(node, id, OptionalLong.empty())).isEmpty());
        assertThat(client.get(node, new BlobId("v-kept.hot.0"), OptionalLong.empty())).hasValue(bytes("kept"));
    }

    @Test
    void aDiscardOfMoreBlobsThanOneRequestMayNameIsRefused() {
        List<BlobId> ids = new ArrayList<>();
        for (int i = 0; i <= BlobWire.MAX_IDS_PER_DELETE; i++) {
            ids.add(new BlobId("too-many-" + i));
        }

        assertThatThrownBy(() -> client.discardMany(node, ids))
                .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("at most " + BlobWire.MAX_IDS_PER_DELETE);
    }

    @Test
    void aFormBodyIsNeverReadAsParameters() throws Exception {
        BlobId id = new BlobId("v1.data.form");
        byte[] data = bytes("kept");
        client.put(node, id, data, Checksums.crc32c(data));

        HttpResponse<String> delete = send("DELETE", "/blobs/v1.data.form", bytes("durable=maybe"),
                "Content-Type", "application/x-www-form-urlencoded");

        assertThat(delete.statusCode()).as(delete.body()).isEqualTo(204);
        assertThat(client.get(node, id, OptionalLong.empty())).isEmpty();
    }

    @Test
    void putAnswers201WithIdLengthAndCrc() throws Exception {
        byte[] data = bytes("created");

        HttpResponse<String> response = send("PUT", "/blobs/created-1", data);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(json.readTree(response.body())).isEqualTo(json.readTree(
                "{\"id\":\"created-1\",\"length\":7,\"crc32c\":" + Checksums.crc32c(data) + "}"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "wrong crc, 12345, 400, checksum_mismatch",
            "non-numeric crc, abc, 400, bad_request",
            "negative crc, -1, 400, bad_request",
            "crc above 32 bits, 4294967296, 400, bad_request"})
    void putWithABadChecksumHeaderIsRefused(String name, String header, int status, String error) throws Exception {
        HttpResponse<String> response = send("PUT", "/blobs/crc-test", bytes("payload"),
                StorageNodeClient.CRC_HEADER, header);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(errorOf(response).get("error").asString()).isEqualTo(error);
        assertThat(client.check(node, Map.of(new BlobId("crc-test"), 0L), false).missing()).containsExactly("crc-test");
    }

    @Test
    void blobOverTheMaximumSizeIs413() throws Exception {
        HttpResponse<String> response = send("PUT", "/blobs/too-big", new byte[1025]);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(errorOf(response).get("error").asString()).isEqualTo("blob_too_large");
        assertThat(send("PUT", "/blobs/just-fits", new byte[1024]).statusCode()).isEqualTo(201);
    }

    @Test
    void chunkedBodyWithoutContentLengthIsBoundedToo() throws Exception {
        HttpResponse<String> tooBig = sendChunked("/blobs/chunked-big", new byte[1025]);
        HttpResponse<String> small = sendChunked("/blobs/chunked-small", bytes("small"));

        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(small.statusCode()).isEqualTo(201);
        assertThat(client.get(node, new BlobId("chunked-small"), OptionalLong.of(Checksums.crc32c(bytes("small")))))
                .isPresent();
    }

    private static HttpResponse<String> sendChunked(String path, byte[] body) throws Exception {
        return http.send(TestAuth.signed(HttpRequest.newBuilder(URI.create(node.url() + path))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))), "PUT", path, body)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET, ..%2F..%2Fetc%2Fpasswd",
            "PUT, ..%2F..%2Fetc%2Fpasswd",
            "DELETE, ..%2F..%2Fetc%2Fpasswd",
            "GET, %2Fetc%2Fpasswd",
            "PUT, .hidden",
            "GET, a%20b",
            "PUT, a%00b",
            "GET, %C3%A9t%C3%A9",
            "PUT, a%5Cb",
            "DELETE, .."})
    void badBlobIdsAre400WithAJsonError(String method, String rawId) throws Exception {
        HttpResponse<String> response = send(method, "/blobs/" + rawId, method.equals("PUT") ? bytes("x") : null);

        assertThat(response.statusCode()).as(response.body()).isIn(400, 404);
        assertThat(response.statusCode()).isNotEqualTo(500);
        assertThat(errorOf(response).get("error").asString()).isIn("invalid_blob_id", "not_found", "bad_request");
        try (Stream<Path> files = Files.walk(dataDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("passwd"));
        }
    }

    @Test
    void encodedTraversalIsRejectedAsAnInvalidBlobId() throws Exception {
        HttpResponse<String> response = send("GET", "/blobs/..%2F..%2Fetc%2Fpasswd", null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(errorOf(response).get("error").asString()).isEqualTo("invalid_blob_id");
    }

    @Test
    void tooLongBlobIdIs400() throws Exception {
        assertThat(send("GET", "/blobs/" + "a".repeat(BlobId.MAX_LENGTH + 1), null).statusCode()).isEqualTo(400);
    }

    @Test
    void listingPagesThroughEveryBlobInIdOrder() {
        List<String> ids = IntStream.range(0, 7).mapToObj(i -> "list-" + i).toList();
        ids.reversed().forEach(id -> client.put(node, new BlobId(id), bytes(id), Checksums.crc32c(bytes(id))));

        BlobPage first = client.list(node, "list-", 3);
        BlobPage second = client.list(node, first.next(), 3);

        assertThat(first.blobs()).extracting(BlobStat::id).containsExactly("list-0", "list-1", "list-2");
        assertThat(second.blobs()).extracting(BlobStat::id).containsExactly("list-3", "list-4", "list-5");
        assertThat(first.blobs().getFirst().crc32c()).isEqualTo(Checksums.crc32c(bytes("list-0")));
        assertThat(first.blobs().getFirst().createdAt()).isPositive();
    }

    @ParameterizedTest
    @CsvSource({"/blobs?limit=0", "/blobs?limit=abc", "/blobs?after=..%2Fx", "/blobs?after=%C3%28"})
    void badListingParametersAre400(String path) throws Exception {
        HttpResponse<String> response = send("GET", path, null);

        assertThat(response.statusCode()).isEqualTo(400);
        errorOf(response);
    }

    @Test
    void checkReportsIntactMissingAndCorruptBlobs() throws Exception {
        byte[] data = bytes("will-rot-0123456789abcdef");
        client.put(node, new BlobId("rot"), data, Checksums.crc32c(data));
        client.put(node, new BlobId("sound"), bytes("sound"), Checksums.crc32c(bytes("sound")));
        long corruptBefore = client.info(node).corruptReads();

        flipFirstByteOf(data);

        Map<BlobId, Long> ids = new LinkedHashMap<>();
        ids.put(new BlobId("sound"), Checksums.crc32c(bytes("sound")));
        ids.put(new BlobId("nowhere"), 1L);
        ids.put(new BlobId("rot"), Checksums.crc32c(data));
        assertThat(client.check(node, ids, false)).isEqualTo(new BlobCheck(List.of("sound", "rot"), List.of("nowhere"), List.of()));
        assertThat(client.info(node).corruptReads()).as("a presence check reads nothing").isEqualTo(corruptBefore);
        BlobCheck check = client.check(node, ids, true);
        assertThat(check).isEqualTo(new BlobCheck(List.of("sound"), List.of("nowhere"), List.of("rot")));
        HttpResponse<String> get = send("GET", "/blobs/rot", null);
        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(errorOf(get).get("error").asString()).isEqualTo("not_found");
        assertThat(client.info(node).corruptReads()).isEqualTo(corruptBefore + 2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"ids\": [\"../x\"]}",
            "{\"ids\": 5}",
            "not json",
            "{\"ids\": [\"a\"], \"crc32c\": {\"a\": -1}}",
            "{\"ids\": [\"a\"], \"crc32c\": {\"a\": 4294967296}}",
            "{\"ids\": [\"a\"], \"crc32c\": {\"b\": 1}}",
            "{\"ids\": [\"a\"], \"crc32c\": {\"../b\": 1}}",
            "{}"})
    void badCheckBodiesAre400(String body) throws Exception {
        HttpResponse<String> response = send("POST", "/blobs/check", bytes(body), "Content-Type", "application/json");

        assertThat(response.statusCode()).isEqualTo(400);
        errorOf(response);
    }

    @Test
    void healthAndInfoDescribeTheNode() throws Exception {
        HttpResponse<String> health = send("GET", "/health", null);
        NodeUsage info = client.info(node);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json.readTree(health.body())).isEqualTo(json.readTree(
                "{\"status\":\"healthy\",\"service\":\"storage_node\",\"node_id\":\"api-test-node\"}"));
        assertThat(client.isHealthy(node)).isTrue();
        assertThat(info.nodeId()).isEqualTo("api-test-node");
        assertThat(info.durability()).isEqualTo("sync");
        assertThat(info.queueCapacity()).isEqualTo(1024);
        assertThat(info.fsyncs()).isPositive();
    }

    @Test
    void metricsAreExposedForPrometheus() throws Exception {
        HttpResponse<String> response = send("GET", "/actuator/prometheus", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("hybridstore_storage_queue_depth", "hybridstore_storage_fsync_seconds",
                "hybridstore_storage_corrupt_reads_total", "hybridstore_storage_bytes_written_bytes_total");
        client.get(node, new BlobId("metered"), OptionalLong.empty());
        assertThat(send("GET", "/actuator/prometheus", null).body())
                .contains("hybridstore_wire_requests_seconds_count{op=\"get\",status=\"404\"}");
    }

    @Test
    void unknownPathsAndMethodsGetJsonErrors() throws Exception {
        HttpResponse<String> unknown = send("GET", "/nothing-here", null);
        HttpResponse<String> wrongMethod = send("PATCH", "/blobs/x", bytes("x"));

        assertThat(unknown.statusCode()).isEqualTo(404);
        errorOf(unknown);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        errorOf(wrongMethod);
    }

    @Test
    void clientSeesRefusalsAsStorageNodeExceptions() {
        assertThatThrownBy(() -> client.put(node, new BlobId("huge"), new byte[2048], 0))
                .isInstanceOf(StorageNodeException.class)
                .extracting(e -> ((StorageNodeException) e).status()).isEqualTo(413);
    }

    private static void flipFirstByteOf(byte[] content) throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path segment : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                byte[] file = Files.readAllBytes(segment);
                for (int i = 0; i + content.length <= file.length; i++) {
                    if (Arrays.equals(file, i, i + content.length, content, 0, content.length)) {
                        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                            channel.write(ByteBuffer.wrap(new byte[] {(byte) ~file[i]}), i);
                        }
                        return;
                    }
                }
            }
        }
        throw new AssertionError("content not found in any segment");
    }
}
