package io.hybridstore.storagenode.api;

import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.storagenode.testsupport.InJvmNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /blobs/check} with the CRC32C each blob should have per its manifest: a blob replaced on the node by
 * other bytes with their own matching CRC32C verifies against itself, so only the manifest's CRC exposes it.
 */
class CheckExpectedCrcTest {

    @TempDir
    static Path dataDir;

    private static InJvmNode running;
    private static NodeInfo node;
    private static final StorageNodeClient client = new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(2), Duration.ofSeconds(10));
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final byte[] ORIGINAL = "the bytes the manifest recorded".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FORGED = "other bytes with their own CRC".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void startNode() {
        running = InJvmNode.start("check-crc-node", dataDir, "hybridstore.storage-node.registration.enabled=false");
        node = running.node();
        client.put(node, new BlobId("replaced"), FORGED, Checksums.crc32c(FORGED));
        client.put(node, new BlobId("genuine"), ORIGINAL, Checksums.crc32c(ORIGINAL));
    }

    @AfterAll
    static void stopNode() {
        running.close();
    }

    @ParameterizedTest(name = "verify={0}")
    @ValueSource(booleans = {true, false})
    void blobWhoseStoredCrcDiffersFromTheManifestsIsCorrupt(boolean verify) throws Exception {
        long expected = Checksums.crc32c(ORIGINAL);
        byte[] body = json.writeValueAsBytes(Map.of("ids", List.of("replaced", "genuine", "absent"),
                "crc32c", Map.of("replaced", expected, "genuine", expected, "absent", expected), "verify", verify));

        HttpResponse<String> response = HttpClient.newHttpClient().send(
                TestAuth.signed(HttpRequest.newBuilder(URI.create(node.url() + "/blobs/check"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)), "POST", "/blobs/check", body).build(),
                HttpResponse.BodyHandlers.ofString());

        JsonNode answer = json.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(answer.get("corrupt").toString()).isEqualTo("[\"replaced\"]");
        assertThat(answer.get("intact").toString()).isEqualTo("[\"genuine\"]");
        assertThat(answer.get("missing").toString()).isEqualTo("[\"absent\"]");
    }
}
