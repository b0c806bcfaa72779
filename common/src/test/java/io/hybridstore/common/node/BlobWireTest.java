package io.hybridstore.common.node;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The blob protocol end to end: {@link StorageNodeClient} against a {@link BlobWireServer} holding blobs in a map. */
class BlobWireTest {

    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final StorageNodeClient client = new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(1), Duration.ofSeconds(1));
    private volatile BlobWireServer.Handler behaviour = this::store;
    private BlobWireServer server;

    private NodeInfo start(Duration idleTimeout) throws IOException {
        server = BlobWireServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), idleTimeout,
                Duration.ofSeconds(1), (request, body, from) -> behaviour.handle(request, body, from));
        return new NodeInfo("n1", "http://127.0.0.1:1", "127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private BlobWire.Response store(BlobWire.RequestHeader request, InputStream body, SocketAddress from) throws IOException {
        return switch (request.op()) {
            case PUT -> {
                byte[] data = body.readAllBytes();
                try {
                    request.verify(TestAuth.AUTH, data);
                } catch (ClusterAuth.UnauthenticatedException e) {
                    yield new BlobWire.Response(401, 0, e.getMessage().getBytes(StandardCharsets.UTF_8));
                }
                if (Checksums.crc32c(data) != request.crc32c()) {
                    yield new BlobWire.Response(400, 0, "checksum_mismatch".getBytes(StandardCharsets.UTF_8));
                }
                blobs.put(request.id().value(), data);
                yield new BlobWire.Response(201, 0, new byte[0]);
            }
            case GET -> {
                byte[] data = blobs.get(request.id().value());
                yield data == null ? new BlobWire.Response(404, 0, new byte[0])
                        : new BlobWire.Response(200, Checksums.crc32c(data), data);
            }
            case DELETE -> {
                blobs.remove(request.id().value());
                yield new BlobWire.Response(request.durable() ? 204 : 299, 0, new byte[0]);
            }
            case DELETE_MANY -> {
                byte[] list = body.readAllBytes();
                request.verify(TestAuth.AUTH, list);
                BlobWire.parseIdList(list).orElseThrow().forEach(id -> blobs.remove(id.value()));
                yield new BlobWire.Response(request.durable() ? 299 : 204, 0, new byte[0]);
            }
        };
    }

    @Test
    void oneExchangeDeletesManyBlobsWithoutDurability() throws IOException {
        NodeInfo node = start(Duration.ofSeconds(60));
        List<BlobId> ids = new ArrayList<>();
        for (int i = 0; i < BlobWire.MAX_IDS_PER_DELETE; i++) {
            ids.add(new BlobId("v" + i + ".data." + i % 3));
            blobs.put(ids.getLast().value(), new byte[]{1});
        }
        blobs.put("kept", new byte[]{2});

        client.discardMany(node, ids);

        assertThat(blobs).containsOnlyKeys("kept");
    }

    @Test
    void anIdListIsOnlyValidIds() {
        assertThat(BlobWire.parseIdList(BlobWire.idList(List.of(new BlobId("a.b.0"), new BlobId("c")))))
                .hasValue(List.of(new BlobId("a.b.0"), new BlobId("c")));
        assertThat(BlobWire.parseIdList("a\n../etc".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(BlobWire.parseIdList("a\n\nb".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(BlobWire.parseIdList("x\n".repeat(BlobWire.MAX_IDS_PER_DELETE).concat("y")
                .getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void putGetAndDeleteRoundTripSmallAndLargeBlobs() throws IOException {
        NodeInfo node = start(Duration.ofSeconds(60));
        byte[] small = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] large = new byte[5 * 1024 * 1024 + 17];
        new Random(1).nextBytes(large);

        client.put(node, new BlobId("v1.data.0"), small, Checksums.crc32c(small));
        client.put(node, new BlobId("v1.data.1"), large, Checksums.crc32c(large));

        assertThat(client.get(node, new BlobId("v1.data.0"), OptionalLong.empty())).hasValue(small);
        assertThat(client.get(node, new BlobId("v1.data.1"), OptionalLong.of(Checksums.crc32c(large))))
                .hasValueSatisfying(data -> assertThat(data).isEqualTo(large));
        assertThat(client.get(node, new BlobId("absent"), OptionalLong.empty())).isEmpty();
        client.delete(node, new BlobId("v1.data.0"));
        assertThat(blobs).doesNotContainKey("v1.data.0");
    }

    @Test
    void aDeleteWithoutDurabilityCarriesTheFlag() throws IOException {
        NodeInfo node = start(Duration.ofSeconds(60));
        // The test handler answers a non-durable delete with an unexpected status, which the client reports.
        assertThatThrownBy(() -> client.delete(node, new BlobId("x"), false))
                .isInstanceOf(StorageNodeException.class).hasMessageContaining("299");
        client.delete(node, new BlobId("x"), true);
    }

    @Test
    void sequentialExchangesReuseOneConnection() throws IOException {
        NodeInfo node = start(Duration.ofSeconds(60));
        // The server serves each connection on a thread of its own.
        Set<Thread> serving = ConcurrentHashMap.newKeySet();
        behaviour = (request, body, from) -> {
            serving.add(Thread.currentThread());
            return store(request, body, from);
        };
        for (int i = 0; i < 50; i++) {
            byte[] data = ("blob " + i).getBytes(StandardCharsets.UTF_8);
            client.put(node, new BlobId("b" + i), data, Checksums.crc32c(data));
            assertThat(client.get(node, new BlobId("b" + i), OptionalLong.empty())).hasValue(data);
        }
        assertThat(serving).hasSize(1);
    }

    @Test
    void anErrorAnswerCarriesTheNodesStatusAndMessage() throws IOException {
        NodeInfo node = start(Duration.ofSeconds(60));
        byte[] data = "abc".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> client.put(node, new BlobId("bad"), data, 12345))
                .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("checksum_mismatch");
        // The connection is still in step: the next exchange on it works.
        client.put(node, new BlobId("good"), data, Checksums.crc32c(data));
        assertThat(client.get(node, new BlobId("good"), OptionalLong.empty())).hasValue(data);
    }

    @Test
    void aBodyTheHandlerDidNotReadIsSkippedAndTheConnectionStaysUsable() throws IOException {
        NodeInfo node = start(Duration.ofSeconds(60));
        behaviour = (request, body, from) -> request.op() == BlobWire.Op.PUT
                ? new BlobWire.Response(503, 0, "overloaded".getBytes(StandardCharsets.UTF_8))
                : store(request, body, from);
        byte[] data = new byte[300_000];

        assertThatThrownBy(() -> client.put(node, new BlobId("refused"), data, Checksums.crc32c(data)))
                .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(client.get(node, new BlobId("refused"), OptionalLong.empty())).isEmpty();
    }

    @Test
    void aBlobThatDoesNotMatchItsChecksumReadsAsMissing() throws IOException {
        NodeInfo node = start(Duration.ofSeconds(60));
        behaviour = (request, body, from) -> new BlobWire.Response(200, 42, "flipped".getBytes(StandardCharsets.UTF_8));

        assertThat(client.get(node, new BlobId("x"), OptionalLong.empty())).isEmpty();
    }

    @Test
    void aConnectionTheNodeClosedWhileIdleIsReplacedWithoutAnError() throws Exception {
        NodeInfo node = start(Duration.ofMillis(200));
        byte[] data = "abc".getBytes(StandardCharsets.UTF_8);
        client.put(node, new BlobId("a"), data, Checksums.crc32c(data));
        Thread.sleep(600);

        assertThat(client.get(node, new BlobId("a"), OptionalLong.empty())).hasValue(data);
    }

    @Test
    void aNodeThatDoesNotAnswerInTimeIsUnreachable() throws IOException {
        NodeInfo node = start(Duration.ofSeconds(60));
        CountDownLatch never = new CountDownLatch(1);
        behaviour = (request, body, from) -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new BlobWire.Response(500, 0, new byte[0]);
        };

        assertThatThrownBy(() -> client.get(node, new BlobId("slow"), OptionalLong.empty()))
                .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isZero());
        never.countDown();
    }

    @Test
    void aNodeThatIsDownIsUnreachable() throws IOException {
        NodeInfo node = start(Duration.ofSeconds(60));
        server.close();

        assertThatThrownBy(() -> client.get(node, new BlobId("a"), OptionalLong.empty()))
                .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isZero());
    }

    @Test
    void aPutWhoseBodyWasChangedAfterSigningIsRefusedAndNotStored() throws Exception {
        start(Duration.ofSeconds(60));
        byte[] data = "the signed body".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        BlobWire.writeRequest(new DataOutputStream(frame), TestAuth.AUTH, BlobWire.Op.PUT, 0, new BlobId("forged"),
                Checksums.crc32c(data), data);
        byte[] forged = frame.toByteArray();
        forged[forged.length - 1] ^= 1;

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(forged);
            BlobWire.Response answer = BlobWire.readResponse(new DataInputStream(socket.getInputStream()));

            assertThat(answer.status()).isEqualTo(401);
        }
        assertThat(blobs).doesNotContainKey("forged");
    }

    @Test
    void aPeerThatDoesNotSpeakTheProtocolIsCutOff() throws Exception {
        start(Duration.ofSeconds(60));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(2000);
            // One write: the node closes as soon as it has read a wrong magic, and a second write would then fail.
            socket.getOutputStream().write("GET /blobs/a HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            // Closed without an answer: an orderly end, or a reset when the kernel still held unread request bytes.
            int first;
            try {
                first = socket.getInputStream().read();
            } catch (SocketException reset) {
                first = -1;
            }
            assertThat(first).isEqualTo(-1);
        }
    }
}
