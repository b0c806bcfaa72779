package io.hybridstore.storagenode;

import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.BlobWire;
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

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
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
 * that have not arrived, must stay up and keep serving others, and must time the senders out. On the blob protocol
 * a put's body is read before its signature can be checked, so these senders need no secret; over HTTP an unsigned
 * sender is refused before its body is read.
 */
class SlowSenderTest {

    private static final int SENDERS = 6;
    private static final int DECLARED = 60 << 20;

    @TempDir
    Path dir;

    @Test
    void slowSendersOfLargeBodiesNeitherExhaustTheHeapNorBlockOthers() throws Exception {
        int port = FreePort.find();
        StorageNodeClient client = new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(2), Duration.ofSeconds(20));
        List<Socket> wireSenders = new ArrayList<>();
        List<Socket> httpSenders = new ArrayList<>();
        try (ChildNode child = ChildNode.start("slow-sender-node", port, dir.resolve("data"), dir.resolve("node.log"), 0,
                List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"),
                List.of("hybridstore.storage-node.max-blob-size=64MB", "hybridstore.storage-node.queue-max-bytes=64MB",
                        "hybridstore.storage-node.body-timeout=5s"))) {
            NodeInfo node = child.node();
            for (int i = 0; i < SENDERS; i++) {
                wireSenders.add(startPut(node, "slow-" + i, DECLARED, "hello".getBytes(StandardCharsets.US_ASCII)));
                Socket http = new Socket("127.0.0.1", port);
                http.getOutputStream().write(("PUT /blobs/slow-http-" + i + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                        + DECLARED + "\r\nContent-Type: application/octet-stream\r\n\r\nhello")
                        .getBytes(StandardCharsets.US_ASCII));
                http.getOutputStream().flush();
                httpSenders.add(http);
            }
            Thread.sleep(2000);

            byte[] data = "an honest client".getBytes(StandardCharsets.UTF_8);
            client.put(node, new BlobId("honest"), data, Checksums.crc32c(data));
            assertThat(client.get(node, new BlobId("honest"), OptionalLong.empty())).hasValue(data);
            assertThat(child.alive()).isTrue();

            for (Socket socket : httpSenders) {
                socket.setSoTimeout(30_000);
                assertThat(answerOrEnd(socket.getInputStream())).as("the unsigned sender is refused or cut off")
                        .satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 401"));
            }
            for (Socket socket : wireSenders) {
                socket.setSoTimeout(30_000);
                assertThat(wireAnswerOrEnd(socket)).as("the slow sender is answered 408 or cut off")
                        .isIn(-1, 408);
            }
            assertThat(child.alive()).isTrue();
            Await.until(Duration.ofSeconds(10), "the node serves after the senders are gone",
                    () -> client.get(node, new BlobId("honest"), OptionalLong.empty()).isPresent());
        } finally {
            for (Socket socket : wireSenders) {
                socket.close();
            }
            for (Socket socket : httpSenders) {
                socket.close();
            }
        }
    }

    /**
     * Three senders each send 300 KiB of a 1 MiB blob put and stall; reading in 64 KiB chunks, each holds 320 KiB of a
     * 1 MiB budget, which leaves 64 KiB: a 200 KiB put gets its first chunk and no more, and is answered overloaded.
     * Three rather than four, so that the senders never contend among themselves and which of them holds what is
     * not left to a race.
     */
    @Test
    void bodyBytesInFlightAreBoundedAndBeyondTheBoundAPutIsOverloaded() throws Exception {
        StorageNodeClient client = new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(2), Duration.ofSeconds(20));
        List<Socket> senders = new ArrayList<>();
        try (InJvmNode running = InJvmNode.start("bounded-bodies-node", dir.resolve("data"),
                "hybridstore.storage-node.registration.enabled=false",
                "hybridstore.storage-node.max-blob-size=1MB", "hybridstore.storage-node.body-bytes-in-flight=1MB",
                "hybridstore.storage-node.body-wait=200ms")) {
            NodeInfo node = running.node();
            for (int i = 0; i < 3; i++) {
                senders.add(startPut(node, "partial-" + i, 1 << 20, new byte[300 * 1024]));
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

    /**
     * A blob put that declares {@code declared} bytes and sends only {@code sent}; unsigned (a zero MAC), since the
     * node reads a put's body before it can check the signature over it.
     */
    private static Socket startPut(NodeInfo node, String id, int declared, byte[] sent) throws IOException {
        String[] address = node.wire().split(":");
        Socket socket = new Socket(address[0], Integer.parseInt(address[1]));
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        byte[] name = id.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(BlobWire.MAGIC);
        out.writeByte(1);
        out.writeByte(0);
        out.writeShort(name.length);
        out.write(name);
        out.writeInt(0);
        out.writeInt(declared);
        out.writeLong(System.currentTimeMillis());
        out.write(new byte[32]);
        out.write(sent);
        out.flush();
        return socket;
    }

    /** The status the node answered on the blob protocol, or -1 when it closed the connection instead. */
    private static int wireAnswerOrEnd(Socket socket) throws IOException {
        try {
            return BlobWire.readResponse(new DataInputStream(socket.getInputStream())).status();
        } catch (EOFException | SocketException closed) {
            return -1;
        }
    }

    /** What the node sent before closing the connection (empty when it just closed it). */
    private static String answerOrEnd(InputStream in) throws IOException {
        byte[] buffer = new byte[64];
        int n = in.readNBytes(buffer, 0, buffer.length);
        return new String(buffer, 0, n, StandardCharsets.US_ASCII);
    }
}
