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
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * Three senders each send 300 KiB of a 1 MiB body and stall; reading in 64 KiB chunks, each holds 320 KiB of a
     * 1 MiB budget, which leaves 64 KiB: a 200 KiB put gets its first chunk and no more, and is answered overloaded.
     * Three rather than four, so that the senders never contend among themselves and which of them holds what is
     * not left to a race.
     */
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
            for (int i = 0; i < 3; i++) {
                Socket socket = new Socket(uri.getHost(), uri.getPort());
                socket.getOutputStream().write(("PUT /blobs/partial-" + i + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                        + (1 << 20) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(new byte[300 * 1024]);
                socket.getOutputStream().flush();
                senders.add(socket);
            }
            Gauge inFlight = running.bean(MeterRegistry.class).get("hybridstore.storage.body.bytes.in.flight").gauge();
            Await.until(Duration.ofSeconds(5), "the senders hold 3 x 320 KiB of the budget",
                    () -> inFlight.value() == 3 * 320 * 1024);
            byte[] data = new byte[200 * 1024];

            assertThatThrownBy(() -> client.put(node, new BlobId("honest"), data, Checksums.crc32c(data)))
                    .isInstanceOf(StorageNodeException.class).hasMessageContaining("overloaded");
            assertThat(inFlight.value()).as("the refused put gave back what it held").isEqualTo(3 * 320 * 1024);

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
            Await.until(Duration.ofSeconds(10), "the cut-off bodies gave back what they held",
                    () -> inFlight.value() == 0);
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
