package io.hybridstore.healer.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.BlobWire;
import io.hybridstore.common.node.BlobWireServer;
import io.hybridstore.common.node.NodeInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A storage node's blob API in memory — puts, gets and deletes over the blob protocol, the listing over HTTP — for
 * tests that need the healer's real client to write, read and delete blobs. {@link #holdPuts()} makes every put
 * wait until released.
 */
public final class FakeStorageNode implements AutoCloseable {

    private final String id;
    private final HttpServer server;
    private final BlobWireServer wire;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, Long> createdAt = new ConcurrentHashMap<>();
    private volatile CountDownLatch putGate = new CountDownLatch(0);
    private volatile CountDownLatch putArrived = new CountDownLatch(1);

    public FakeStorageNode(String id) {
        this.id = id;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/blobs", this::list);
        server.start();
        try {
            wire = BlobWireServer.start(new InetSocketAddress("127.0.0.1", 0), Duration.ofSeconds(60),
                    Duration.ofSeconds(10), this::handle);
        } catch (IOException e) {
            server.stop(0);
            throw new UncheckedIOException(e);
        }
    }

    public NodeInfo info() {
        return new NodeInfo(id, "http://127.0.0.1:" + server.getAddress().getPort(), "127.0.0.1:" + wire.port());
    }

    public void store(String blob, byte[] data) {
        store(blob, data, System.currentTimeMillis());
    }

    /** Stores a blob as if this node's clock read {@code createdAtMillis} when it was written. */
    public void store(String blob, byte[] data, long createdAtMillis) {
        blobs.put(blob, data);
        createdAt.put(blob, createdAtMillis);
    }

    public void delete(String blob) {
        blobs.remove(blob);
        createdAt.remove(blob);
    }

    public Set<String> blobIds() {
        return Set.copyOf(blobs.keySet());
    }

    public boolean has(String blob) {
        return blobs.containsKey(blob);
    }

    /**
     * From now on every PUT blocks until {@link #releasePuts()}; {@link #awaitHeldPut()} waits for the first of
     * them, not for a put that arrived before.
     */
    public void holdPuts() {
        putArrived = new CountDownLatch(1);
        putGate = new CountDownLatch(1);
    }

    public void releasePuts() {
        putGate.countDown();
    }

    public void awaitHeldPut() throws InterruptedException {
        putArrived.await();
    }

    private BlobWire.Response handle(BlobWire.RequestHeader request, InputStream body, SocketAddress from)
            throws IOException {
        String blob = request.id().value();
        return switch (request.op()) {
            case PUT -> {
                byte[] data = body.readAllBytes();
                putArrived.countDown();
                try {
                    putGate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                blobs.put(blob, data);
                yield new BlobWire.Response(201, 0, new byte[0]);
            }
            case GET -> {
                byte[] data = blobs.get(blob);
                yield data == null ? new BlobWire.Response(404, 0, new byte[0])
                        : new BlobWire.Response(200, Checksums.crc32c(data), data);
            }
            case DELETE -> {
                blobs.remove(blob);
                createdAt.remove(blob);
                yield new BlobWire.Response(204, 0, new byte[0]);
            }
        };
    }

    /** Every blob in one page; enough for the handful a test holds. */
    private void list(HttpExchange exchange) throws IOException {
        String entries = new TreeMap<>(blobs).entrySet().stream()
                .map(e -> "{\"id\":\"" + e.getKey() + "\",\"length\":" + e.getValue().length + ",\"crc32c\":"
                        + Checksums.crc32c(e.getValue()) + ",\"createdAt\":" + createdAt.getOrDefault(e.getKey(), 0L) + "}")
                .collect(Collectors.joining(","));
        byte[] body = ("{\"blobs\":[" + entries + "],\"next\":null}").getBytes(StandardCharsets.UTF_8);
        try (exchange) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        putGate.countDown();
        wire.close();
        server.stop(0);
    }
}
