package io.hybridstore.storagenode;

import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import io.hybridstore.storagenode.testsupport.ChildNode;
import io.hybridstore.storagenode.testsupport.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A real write error (file size limit reached: EFBIG) marks the disk bad: writes refused, reads still served. */
class DiskFailureTest {

    private static final int FILE_SIZE_LIMIT_KIB = 256;

    @TempDir
    Path dir;

    private final StorageNodeClient client = new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(1), Duration.ofSeconds(10));

    @Test
    void writeErrorStopsWritesButNotReads() throws Exception {
        try (ChildNode child = ChildNode.start("failing-disk", FreePort.find(), dir.resolve("data"),
                dir.resolve("node.log"), FILE_SIZE_LIMIT_KIB)) {
            NodeInfo node = child.node();
            byte[] data = new byte[16 * 1024];
            long crc = Checksums.crc32c(data);
            client.put(node, new BlobId("before-failure"), data, crc);

            StorageNodeException refusal = null;
            for (int i = 0; i < 2 * FILE_SIZE_LIMIT_KIB / 16 && refusal == null; i++) {
                try {
                    client.put(node, new BlobId("fill-" + i), data, crc);
                } catch (StorageNodeException e) {
                    refusal = e;
                }
            }

            assertThat(refusal).as("a put failed once the segment hit the file size limit").isNotNull();
            assertThat(refusal.status()).isEqualTo(503);
            assertThat(refusal.getMessage()).contains("not_accepting_writes");
            assertThat(client.isHealthy(node)).isFalse();
            assertThat(client.get(node, new BlobId("before-failure"), OptionalLong.of(crc))).isPresent();
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(node.url() + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).containsPattern("hybridstore_storage_io_errors_total [1-9]");
        }
    }
}
