package io.hybridstore.storagenode.api;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.BlobWire;
import io.hybridstore.common.node.BlobWireServer;
import io.hybridstore.storagenode.config.StorageNodeProperties;
import io.hybridstore.storagenode.store.BlobStore;
import io.hybridstore.web.ErrorBody;
import io.hybridstore.web.auth.AuthRefusals;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The node's blobs over {@link BlobWire}: the same puts, gets and deletes as {@code /blobs/{id}} on HTTP, with the
 * same admission, body budget and error answers ({@link NodeErrors}), for a fraction of the CPU per request. Each
 * request is timed in {@code hybridstore.wire.requests} by operation and status.
 */
@Component
public final class BlobWireEndpoint implements AutoCloseable {

    private static final byte[] EMPTY = new byte[0];

    private final BlobStore store;
    private final WriteAdmission admission;
    private final BodyReader bodies;
    private final long maxBlobSize;
    private final JsonMapper json;
    private final MeterRegistry registry;
    private final Map<Integer, Timer> timers = new ConcurrentHashMap<>();
    private final BlobWireServer server;
    private final ClusterAuth auth;
    private final AuthRefusals refusals;

    BlobWireEndpoint(BlobStore store, WriteAdmission admission, BodyReader bodies, StorageNodeProperties properties,
                     JsonMapper json, MeterRegistry registry, ClusterAuth auth, AuthRefusals refusals)
            throws IOException {
        this.auth = auth;
        this.refusals = refusals;
        this.store = store;
        this.admission = admission;
        this.bodies = bodies;
        this.maxBlobSize = properties.maxBlobSize().toBytes();
        this.json = json;
        this.registry = registry;
        StorageNodeProperties.Wire wire = properties.wire();
        InetSocketAddress bind = wire.address().isBlank() ? new InetSocketAddress(wire.port())
                : new InetSocketAddress(wire.address(), wire.port());
        this.server = BlobWireServer.start(bind, wire.idleTimeout(), wire.readTimeout(), this::handle);
    }

    /** The port the listener is bound to (the configured one, or the one chosen for port 0). */
    public int port() {
        return server.port();
    }

    /** {@code from}: the peer, for the log of a refused request. */
    private BlobWire.Response handle(BlobWire.RequestHeader request, InputStream body, SocketAddress from) {
        long start = System.nanoTime();
        BlobWire.Response response;
        try {
            byte[] data = switch (request.op()) {
                case PUT -> readPut(request, body);
                case DELETE_MANY -> readIdList(request, body);
                case GET, DELETE -> EMPTY;
            };
            try {
                request.verify(auth, data);
            } catch (ClusterAuth.UnauthenticatedException e) {
                refusals.refused("wire", from, request.op().name().toLowerCase(Locale.ROOT)
                        + (request.id() == null ? "" : " " + request.id()), e);
                throw e;
            }
            response = switch (request.op()) {
                case PUT -> {
                    store.put(request.id(), data, OptionalLong.of(request.crc32c()));
                    yield new BlobWire.Response(201, 0, EMPTY);
                }
                case GET -> get(request);
                case DELETE -> {
                    store.delete(request.id(), request.durable());
                    yield new BlobWire.Response(204, 0, EMPTY);
                }
                case DELETE_MANY -> {
                    List<BlobId> ids = BlobWire.parseIdList(data).orElseThrow(() -> new BadRequestException(
                            "a delete of many blobs names at most " + BlobWire.MAX_IDS_PER_DELETE
                                    + " valid blob ids, one per line"));
                    ids.forEach(id -> store.delete(id, request.durable()));
                    yield new BlobWire.Response(204, 0, EMPTY);
                }
            };
        } catch (RuntimeException e) {
            Optional<NodeErrors.Answer> answer = NodeErrors.of(e);
            if (answer.isEmpty()) {
                throw e;
            }
            response = new BlobWire.Response(answer.get().status().value(), 0,
                    json.writeValueAsBytes(new ErrorBody(answer.get().code(), answer.get().detail())));
        }
        timer(request.op(), response.status()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return response;
    }

    /** A put's body, read only when it may be stored: not too large, and the node accepting writes. */
    private byte[] readPut(BlobWire.RequestHeader request, InputStream body) {
        if (request.bodyLength() > maxBlobSize) {
            throw new BlobTooLargeException(maxBlobSize);
        }
        admission.requireAcceptingWrites();
        return bodies.read(body, request.bodyLength());
    }

    /** Read whole, outside the body budget: at most a few hundred KB, and the connection's read timeout holds. */
    private static byte[] readIdList(BlobWire.RequestHeader request, InputStream body) {
        if (request.bodyLength() > BlobWire.MAX_ID_LIST_BYTES) {
            throw new BadRequestException("a delete of many blobs names at most " + BlobWire.MAX_IDS_PER_DELETE
                    + " blobs");
        }
        try {
            byte[] list = body.readNBytes(request.bodyLength());
            if (list.length < request.bodyLength()) {
                throw new BadRequestException("the list of blobs ended after " + list.length + " of "
                        + request.bodyLength() + " bytes");
            }
            return list;
        } catch (IOException e) {
            throw new BadRequestException("could not read the list of blobs: " + e.getMessage());
        }
    }

    private BlobWire.Response get(BlobWire.RequestHeader request) {
        byte[] data = store.get(request.id()).orElseThrow(() -> new BlobNotFoundException(request.id().value()));
        return new BlobWire.Response(200, Checksums.crc32c(data), data);
    }

    private Timer timer(BlobWire.Op op, int status) {
        return timers.computeIfAbsent(op.ordinal() * 1000 + status, k -> Timer.builder("hybridstore.wire.requests")
                .description("Blob requests served over the blob protocol")
                .tag("op", op.name().toLowerCase(Locale.ROOT))
                .tag("status", Integer.toString(status))
                .register(registry));
    }

    @Override
    public void close() {
        server.close();
    }
}
