package io.hybridstore.common.node;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import tools.jackson.databind.json.JsonMapper;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;

/**
 * Client of the storage nodes: blobs over {@link BlobWire}, listing, checks and status over HTTP. Thread-safe; one
 * instance per process.
 *
 * <p>Every blob crosses the wire with its CRC32C: a put is checked by the node before it is stored, and a get is
 * checked here again, so a byte flipped on the way in either direction reads as a missing blob rather than as
 * wrong data.
 */
public final class StorageNodeClient {

    public static final String CRC_HEADER = "X-Checksum-CRC32C";
    /**
     * The longest blob {@link #putAll} takes. A connection's socket buffers hold at least this much (a receive
     * window of 64 KiB and more), so writing the request never waits for the node, even one that stopped reading.
     */
    public static final int PIPELINED_PUT_MAX = 32 * 1024;

    private static final byte[] NO_BODY = new byte[0];
    /** Below the nodes' idle timeout for blob connections (60 s), so a node never closes one under a request. */
    private static final Duration MAX_IDLE = Duration.ofSeconds(30);

    private final HttpClient http;
    private final WireConnections wire;
    private final Duration timeout;
    private final JsonMapper json = JsonMapper.builder().build();

    private final ClusterAuth auth;

    /** @param auth signs every request but health checks: nodes serve only their own cluster's services */
    public StorageNodeClient(ClusterAuth auth, Duration connectTimeout, Duration requestTimeout) {
        this.auth = auth;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        this.wire = new WireConnections(connectTimeout, requestTimeout, MAX_IDLE);
        this.timeout = requestTimeout;
    }

    /** Stores {@code data} as blob {@code id}; returns once the node acknowledged it (durably, unless it runs async). */
    public void put(NodeInfo node, BlobId id, byte[] data, long crc32c) {
        BlobWire.Response response = exchange(node, "put " + id, data.length, (out, in) -> {
            BlobWire.writeRequest(out, auth, BlobWire.Op.PUT, 0, id, crc32c, data);
            return BlobWire.readResponse(in);
        });
        if (response.status() != 201) {
            throw StorageNodeException.status(node, "put " + id, response.status(), response.body());
        }
    }

    /** A blob for {@link #putAll}: its bytes, their CRC32C and the node to store it on. */
    public record Put(NodeInfo node, BlobId id, byte[] data, long crc32c) {
    }

    /**
     * Stores the blobs, each of at most {@link #PIPELINED_PUT_MAX} bytes, from the calling thread: every request
     * is sent before any answer is read, so the nodes store them at once, and the caller spends no thread per
     * blob. The result per put, in order: empty when its node acknowledged it, else why not.
     */
    public List<Optional<StorageNodeException>> putAll(List<Put> puts) {
        List<WireConnections.Call<BlobWire.Response>> calls = new ArrayList<>(puts.size());
        for (Put put : puts) {
            if (put.data().length > PIPELINED_PUT_MAX) {
                throw new IllegalArgumentException("a blob of " + put.data().length + " bytes cannot be pipelined");
            }
            calls.add(new WireConnections.Call<>(put.node().wire(), new WireConnections.Split<>() {
                @Override
                public void write(DataOutputStream out) throws IOException {
                    BlobWire.writeRequest(out, auth, BlobWire.Op.PUT, 0, put.id(), put.crc32c(), put.data());
                }

                @Override
                public BlobWire.Response read(DataInputStream in) throws IOException {
                    return BlobWire.readResponse(in);
                }
            }));
        }
        List<WireConnections.Outcome<BlobWire.Response>> outcomes = wire.exchangeAll(calls);
        List<Optional<StorageNodeException>> results = new ArrayList<>(puts.size());
        for (int i = 0; i < puts.size(); i++) {
            Put put = puts.get(i);
            WireConnections.Outcome<BlobWire.Response> outcome = outcomes.get(i);
            String operation = "put " + put.id();
            if (outcome.failure() != null) {
                results.add(Optional.of(StorageNodeException.unreachable(put.node(), operation, outcome.failure())));
            } else if (outcome.answer().status() != 201) {
                results.add(Optional.of(StorageNodeException.status(put.node(), operation, outcome.answer().status(),
                        outcome.answer().body())));
            } else {
                results.add(Optional.empty());
            }
        }
        return results;
    }

    /**
     * The blob's bytes, verified against the CRC32C the node sent and, when given, the one the caller expects.
     * Empty when the node does not have the blob or it does not verify.
     */
    public Optional<byte[]> get(NodeInfo node, BlobId id, OptionalLong expectedCrc32c) {
        BlobWire.Response response = exchange(node, "get " + id, 0, (out, in) -> {
            BlobWire.writeRequest(out, auth, BlobWire.Op.GET, 0, id, 0, NO_BODY);
            return BlobWire.readResponse(in);
        });
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (response.status() != 200) {
            throw StorageNodeException.status(node, "get " + id, response.status(), response.body());
        }
        byte[] data = response.body();
        long actual = Checksums.crc32c(data);
        boolean intact = response.crc32c() == actual
                && (expectedCrc32c.isEmpty() || expectedCrc32c.getAsLong() == actual);
        return intact ? Optional.of(data) : Optional.empty();
    }

    /** Deletes the blob, durably; deleting a blob the node does not have succeeds, so retries are safe. */
    public void delete(NodeInfo node, BlobId id) {
        delete(node, id, true);
    }

    /**
     * Deletes the blob; without {@code durable} the node answers before the delete is on disk, so a crash may bring
     * the blob back: only for blobs nothing references any more, which garbage collection would remove again.
     */
    public void delete(NodeInfo node, BlobId id, boolean durable) {
        int flags = durable ? 0 : BlobWire.FLAG_NOT_DURABLE;
        BlobWire.Response response = exchange(node, "delete " + id, 0, (out, in) -> {
            BlobWire.writeRequest(out, auth, BlobWire.Op.DELETE, flags, id, 0, NO_BODY);
            return BlobWire.readResponse(in);
        });
        if (response.status() != 204) {
            throw StorageNodeException.status(node, "delete " + id, response.status(), response.body());
        }
    }

    /**
     * Deletes the blobs in one exchange, without waiting for the deletes to be on disk: for blobs nothing references
     * any more (see {@link #delete(NodeInfo, BlobId, boolean)}). Blobs the node does not have count as deleted.
     */
    public void discardMany(NodeInfo node, List<BlobId> ids) {
        byte[] body = BlobWire.idList(ids);
        String operation = "delete of " + ids.size() + " blobs";
        BlobWire.Response response = exchange(node, operation, body.length, (out, in) -> {
            BlobWire.writeRequest(out, auth, BlobWire.Op.DELETE_MANY, BlobWire.FLAG_NOT_DURABLE, null, 0, body);
            return BlobWire.readResponse(in);
        });
        if (response.status() != 204) {
            throw StorageNodeException.status(node, operation, response.status(), response.body());
        }
    }

    /** One page of the node's blobs in id order, starting after {@code after} (null for the first page). */
    public BlobPage list(NodeInfo node, String after, int limit) {
        String query = "?limit=" + limit + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
        HttpResponse<byte[]> response = send(node, signed(node, "GET", "/blobs" + query, NO_BODY));
        if (response.statusCode() != 200) {
            throw StorageNodeException.status(node, "list", response.statusCode(), response.body());
        }
        return json.readValue(response.body(), BlobPage.class);
    }

    /**
     * Asks the node which of these blobs it holds with the CRC32C given for each (the one its manifest recorded):
     * with {@code verify}, intact as the node reads and checks them itself; without, present in its index. Either
     * way a blob the node holds with another CRC32C is corrupt.
     */
    public BlobCheck check(NodeInfo node, Map<BlobId, Long> expectedCrc32c, boolean verify) {
        Map<String, Long> crcs = new LinkedHashMap<>();
        expectedCrc32c.forEach((id, crc) -> crcs.put(id.value(), crc));
        byte[] body = json.writeValueAsBytes(Map.of("ids", List.copyOf(crcs.keySet()), "crc32c", crcs,
                "verify", verify));
        HttpResponse<byte[]> response = send(node, signed(node, "POST", "/blobs/check", body));
        if (response.statusCode() != 200) {
            throw StorageNodeException.status(node, "check", response.statusCode(), response.body());
        }
        return json.readValue(response.body(), BlobCheck.class);
    }

    public NodeUsage info(NodeInfo node) {
        HttpResponse<byte[]> response = send(node, signed(node, "GET", "/info", NO_BODY));
        if (response.statusCode() != 200) {
            throw StorageNodeException.status(node, "info", response.statusCode(), response.body());
        }
        return json.readValue(response.body(), NodeUsage.class);
    }

    public boolean isHealthy(NodeInfo node) {
        try {
            return send(node, HttpRequest.newBuilder(URI.create(node.url() + "/health")).timeout(timeout).GET().build())
                    .statusCode() == 200;
        } catch (StorageNodeException e) {
            return false;
        }
    }

    private <T> T exchange(NodeInfo node, String operation, long sendBytes, WireConnections.Exchange<T> exchange) {
        try {
            return wire.exchange(node.wire(), sendBytes, exchange);
        } catch (IOException e) {
            throw StorageNodeException.unreachable(node, operation, e);
        }
    }

    /** {@code target}: the path and query exactly as sent, since that is what the node checks the signature of. */
    private HttpRequest signed(NodeInfo node, String method, String target, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.url() + target)).timeout(timeout)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body.length > 0) {
            request.header("Content-Type", "application/json");
        }
        auth.httpHeaders(method, target, body).forEach(request::header);
        return request.build();
    }

    /**
     * Sends once more when the first attempt fails on the connection rather than by timing out: a pooled connection
     * to a node that restarted meanwhile is dead, and every call here is idempotent (blobs are immutable).
     */
    private HttpResponse<byte[]> send(NodeInfo node, HttpRequest request) {
        try {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpTimeoutException e) {
                throw e;
            } catch (IOException staleConnection) {
                return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            }
        } catch (IOException e) {
            throw StorageNodeException.unreachable(node, request.method() + " " + request.uri().getPath(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageNodeException.unreachable(node, "interrupted", e);
        }
    }
}
