package io.hybridstore.storagenode.api;

import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.storagenode.testsupport.InJvmNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /compact} on a running node. */
class CompactEndpointTest {

    @TempDir
    Path dataDir;

    @Test
    void compactRewritesEverySealedSegmentAndSaysWhatItDid() throws Exception {
        StorageNodeClient client = new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(2), Duration.ofSeconds(10));
        try (InJvmNode first = InJvmNode.start("compact-node", dataDir,
                "hybridstore.storage-node.registration.enabled=false", "hybridstore.storage-node.io-workers=1")) {
            NodeInfo node = first.node();
            client.put(node, new BlobId("kept"), "still here".getBytes(), Checksums.crc32c("still here".getBytes()));
            client.put(node, new BlobId("gone"), "deleted".getBytes(), Checksums.crc32c("deleted".getBytes()));
            client.delete(node, new BlobId("gone"));
        }
        try (InJvmNode second = InJvmNode.start("compact-node", dataDir,
                "hybridstore.storage-node.registration.enabled=false", "hybridstore.storage-node.io-workers=1")) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    TestAuth.signed(HttpRequest.newBuilder(URI.create(second.node().url() + "/compact"))
                            .POST(HttpRequest.BodyPublishers.noBody()), "POST", "/compact", new byte[0]).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode segments = JsonMapper.builder().build().readTree(response.body()).get("segments");
            assertThat(segments).hasSize(1);
            assertThat(segments.get(0).get("blobsMoved").asInt()).isEqualTo(1);
            assertThat(segments.get(0).get("markersDropped").asInt()).isEqualTo(1);
            assertThat(segments.get(0).get("oldKept").asBoolean()).isFalse();
            assertThat(client.get(second.node(), new BlobId("kept"), OptionalLong.empty())).hasValue("still here".getBytes());
        }
    }
}
