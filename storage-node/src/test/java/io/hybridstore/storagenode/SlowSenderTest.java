package io.hybridstore.storagenode;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import io.hybridstore.storagenode.testsupport.Await;
import io.hybridstore.storagenode.testsupport.ChildNode;
import io.hybridstore.storagenode.testsupport.FreePort;
import io.hybridstore.storagenode.testsupport.InJvmNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Senders that declare a large body and then send next to nothing: the node must not set aside memory for bytes
 * that have not arrived, must stay up and keep serving others, and must time the senders out.
 */
class SlowSenderTest {

    private static final int SENDERS = 6;
    private static final long DECLARED = 60L << 20;

    @TempDir
    Path dir;

    @Test
    void slowSendersOfLargeBodiesNeitherExhaustTheHeapNorBlockOthers() throws Exception {
        int port = FreePort.find();
        StorageNodeClient client = new StorageNodeClient(Duration.ofSeconds(2), Duration.ofSeconds(20));
        List<Socket> senders = new ArrayList<>();
        try (ChildNode child = ChildNode.start("slow-sender-node", port, dir.resolve("data"), dir.resolve("node.log"), 0,
                List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"),
                List.of("hybridstore.storage-node.max-blob-size=64MB", "hybridstore.storage-node.queue-max-bytes=64MB",
                        "hybridstore.storage-node.body-timeout=5s"))) {
            NodeInfo node = child.node();
            for (int i = 0; i < SENDERS; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.getOutputStream().write(("PUT /blobs/slow-" + i + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                        + DECLARED + "\r\nContent-Type: application/octet-stream\r\n\r\nhello")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                senders.add(socket);
            }
            Thread.sleep(2000);

            byte[] data = "an honest client".getBytes(StandardCharsets.UTF_8);
            client.put(node, new BlobId("honest"), data, Checksums.crc32c(data));
            assertThat(client.get(node, new BlobId("honest"), OptionalLong.empty())).hasValue(data);
            assertThat(child.alive()).isTrue();

            for (Socket socket : senders) {
                socket.setSoTimeout(30_000);
                assertThat(answerOrEnd(socket.getInputStream())).as("the slow sender is answered or cut off")
                        .satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 408"));
            }
            assertThat(child.alive()).isTrue();
            Await.until(Duration.ofSeconds(10), "the node serves after the senders are gone",
                    () -> client.get(node, new BlobId("honest"), OptionalLong.empty()).isPresent());
        } finally {
            for (Socket socket : senders) {
                socket.close();
            }
        }
    }

    @Test
    void bodyBytesInFlightAreBoundedAndBeyondTheBoundAPutIsOverloaded() throws Exception {
        StorageNodeClient client = new StorageNodeClient(Duration.ofSeconds(2), Duration.ofSeconds(20));
        List<Socket> senders = new ArrayList<>();
        try (InJvmNode running = InJvmNode.start("bounded-bodies-node", dir.resolve("data"),
                "hybridstore.storage-node.registration.enabled=false",
                "hybridstore.storage-node.max-blob-size=1MB", "hybridstore.storage-node.body-bytes-in-flight=1MB",
                "hybridstore.storage-node.body-wait=200ms")) {
            NodeInfo node = running.node();
            URI uri = URI.create(node.url());
            for (int i = 0; i < 4; i++) {
                Socket socket = new Socket(uri.getHost(), uri.getPort());
                socket.getOutputStream().write(("PUT /blobs/partial-" + i + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                        + (1 << 20) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(new byte[300 * 1024]);
                socket.getOutputStream().flush();
                senders.add(socket);
            }
            byte[] data = new byte[200 * 1024];

            Await.until(Duration.ofSeconds(10), "a put finds the body budget taken", () -> {
                try {
                    client.put(node, new BlobId("honest"), data, Checksums.crc32c(data));
                    return false;
                } catch (StorageNodeException e) {
                    return e.getMessage().contains("overloaded");
                }
            });
            for (Socket socket : senders) {
                socket.close();
            }
            Await.until(Duration.ofSeconds(10), "the put succeeds once the senders are gone", () -> {
                try {
                    client.put(node, new BlobId("honest"), data, Checksums.crc32c(data));
                    return true;
                } catch (StorageNodeException e) {
                    return false;
                }
            });
        } finally {
            for (Socket socket : senders) {
                socket.close();
            }
        }
    }

    /** What the node sent before closing the connection (empty when it just closed it). */
    private static String answerOrEnd(InputStream in) throws IOException {
        byte[] buffer = new byte[64];
        int n = in.readNBytes(buffer, 0, buffer.length);
        return new String(buffer, 0, n, StandardCharsets.US_ASCII);
    }
}
