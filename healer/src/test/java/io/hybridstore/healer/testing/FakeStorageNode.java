package io.hybridstore.healer.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.hybridstore.common.etcd.EtcdKeys;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A storage node's blob API in memory — puts, gets and deletes over the blob protocol, the listing over HTTP — for
 * tests that need the healer's real client to write, read and delete blobs, and the batch check over HTTP (from its
 * index: every blob it holds is intact). {@link #holdPuts()} makes every put wait until released.
 */
public final class FakeStorageNode implements AutoCloseable {

    private final String id;
    private final HttpServer server;
    private final BlobWireServer wire;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, Long> createdAt = new ConcurrentHashMap<>();
    private volatile CountDownLatch putGate = new CountDownLatch(0);
    private volatile CountDownLatch putArrived = new CountDownLatch(1);
    private volatile Semaphore heldPuts = new Semaphore(0);

    public FakeStorageNode(String id) {
        this.id = id;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/blobs", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/blobs/check")) {
                check(exchange);
            } else {
                list(exchange);
            }
        });
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

    /** Registers this node in etcd as a live storage node does, so node directories and liveness find it. */
    public void register(KV kv, EtcdKeys keys) throws Exception {
        NodeInfo info = info();
        kv.put(keys.node(info.id()), ByteSequence.from("{\"id\":\"" + info.id() + "\",\"url\":\"" + info.url()
                + "\",\"wire\":\"" + info.wire() + "\"}", StandardCharsets.UTF_8)).get();
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
        heldPuts = new Semaphore(0);
        putGate = new CountDownLatch(1);
    }

    public void releasePuts() {
        putGate.countDown();
    }

    public void awaitHeldPut() throws InterruptedException {
        putArrived.await();
    }

    /** Whether {@code count} puts are held at once within {@code timeout}: held, none of them can have finished. */
    public boolean awaitHeldPuts(int count, Duration timeout) throws InterruptedException {
        return heldPuts.tryAcquire(count, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Held puts that arrived and were not yet counted by {@link #awaitHeldPuts}. */
    public int moreHeldPuts() {
        return heldPuts.availablePermits();
    }

    private BlobWire.Response handle(BlobWire.RequestHeader request, InputStream body, SocketAddress from)
            throws IOException {
        String blob = request.id() == null ? null : request.id().value();
        return switch (request.op()) {
            case PUT -> {
                byte[] data = body.readAllBytes();
                if (putGate.getCount() > 0) {
                    heldPuts.release();
                }
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
                delete(blob);
                yield new BlobWire.Response(204, 0, new byte[0]);
            }
            case DELETE_MANY -> {
                BlobWire.parseIdList(body.readAllBytes()).orElseThrow().forEach(id -> delete(id.value()));
                yield new BlobWire.Response(204, 0, new byte[0]);
            }
        };
    }

    /** Blob ids are plain tokens, so the request's id list and the answer are handled as text, as the listing is. */
    private void check(HttpExchange exchange) throws IOException {
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher list = Pattern.compile("\"ids\":\\[([^\\]]*)]").matcher(request);
        List<String> ids = new ArrayList<>();
        if (list.find()) {
            Matcher id = Pattern.compile("\"([^\"]+)\"").matcher(list.group(1));
            while (id.find()) {
                ids.add(id.group(1));
            }
        }
        byte[] body = ("{\"intact\":" + quoted(ids.stream().filter(blobs::containsKey).toList()) + ",\"missing\":"
                + quoted(ids.stream().filter(id -> !blobs.containsKey(id)).toList()) + ",\"corrupt\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        try (exchange) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static String quoted(List<String> ids) {
        return ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "[", "]"));
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
