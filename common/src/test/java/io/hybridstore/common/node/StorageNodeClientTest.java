package io.hybridstore.common.node;

import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.blob.BlobId;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageNodeClientTest {

    private final StorageNodeClient client = new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(2), Duration.ofSeconds(2));

    @Test
    void aConnectionDroppedByARestartedNodeIsRetriedOnce() throws Exception {
        String answer = "{\"intact\":[\"a.data.0\"],\"missing\":[],\"corrupt\":[]}";
        try (FlakyServer server = new FlakyServer(1, answer)) {
            BlobCheck check = client.check(server.node(), Map.of(new BlobId("a.data.0"), 7L), true);

            assertThat(check.intact()).containsExactly("a.data.0");
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void aNodeThatKeepsDroppingConnectionsIsUnreachable() throws Exception {
        try (FlakyServer server = new FlakyServer(Integer.MAX_VALUE, "")) {
            assertThatThrownBy(() -> client.check(server.node(), Map.of(new BlobId("a.data.0"), 7L), true))
                    .isInstanceOf(StorageNodeException.class);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    /** Closes the first {@code drops} connections after reading the request, as a killed process would; then answers. */
    private static final class FlakyServer implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread acceptor;

        FlakyServer(int drops, String body) throws IOException {
            acceptor = Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try (Socket connection = socket.accept()) {
                        readHeaders(connection);
                        if (connections.incrementAndGet() > drops) {
                            respond(connection.getOutputStream(), body);
                        }
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        NodeInfo node() {
            return new NodeInfo("flaky", "http://127.0.0.1:" + socket.getLocalPort(), "127.0.0.1:1");
        }

        int connections() {
            return connections.get();
        }

        private static void readHeaders(Socket connection) throws IOException {
            BufferedReader reader = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.ISO_8859_1));
            String line;
            while ((line = reader.readLine()) != null && !line.isEmpty()) {
                // the request body, if any, is not needed
            }
        }

        private static void respond(OutputStream out, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join(2_000);
        }
    }
}
