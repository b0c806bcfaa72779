package io.hybridstore.storagenode.api;

import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.BlobWire;
import io.hybridstore.common.node.BlobWireServer;
import io.hybridstore.storagenode.config.StorageNodeProperties;
import io.hybridstore.storagenode.store.BlobStore;
import io.hybridstore.web.ErrorBody;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
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

    BlobWireEndpoint(BlobStore store, WriteAdmission admission, BodyReader bodies, StorageNodeProperties properties,
                     JsonMapper json, MeterRegistry registry) throws IOException {
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

    private BlobWire.Response handle(BlobWire.RequestHeader request, InputStream body) {
        long start = System.nanoTime();
        BlobWire.Response response;
        try {
            response = switch (request.op()) {
                case PUT -> put(request, body);
                case GET -> get(request);
                case DELETE -> {
                    store.delete(request.id(), request.durable());
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

    private BlobWire.Response put(BlobWire.RequestHeader request, InputStream body) {
        if (request.bodyLength() > maxBlobSize) {
            throw new BlobTooLargeException(maxBlobSize);
        }
        admission.requireAcceptingWrites();
        byte[] data = bodies.read(body, request.bodyLength());
        store.put(request.id(), data, OptionalLong.of(request.crc32c()));
        return new BlobWire.Response(201, 0, EMPTY);
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
