package io.hybridstore.storagenode.config;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.storagenode.store.Durability;
import io.hybridstore.storagenode.store.StoreConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one storage node, prefix {@code hybridstore.storage-node}.
 *
 * @param nodeId        this node's id in etcd; also a blob-id-safe name
 * @param dataDir       directory of the segment files; one node per directory (it is locked)
 * @param advertisedUrl base URL other services reach this node at; a port of 0 is replaced by the bound port
 * @param durability    {@code sync} acknowledges a put once durable; {@code async} on enqueue (unsafe on power loss)
 * @param queueCapacity writes accepted but not yet durable before further writes get 503
 * @param queueMaxBytes blob bytes accepted but not yet durable before further writes get 503
 * @param ioWorkers     writer threads, each group-committing its own segment
 * @param maxBatch      most writes made durable by one fdatasync
 * @param maxBlobSize   largest accepted blob; larger puts get 413
 * @param segmentSize   size at which a segment file is sealed and a new one started
 * @param bodyBytesInFlight request-body bytes held in memory by all puts still being received; beyond it a put
 *                      waits up to {@code bodyWait} for room, then gets 503 {@code overloaded}
 * @param bodyWait      how long a put waits for room in {@code bodyBytesInFlight}
 * @param bodyTimeout   longest a put may take to send its whole body; a slower sender gets 408 and is cut off
 * @param wire          the blob protocol's listener (blob puts, gets and deletes of gateways and healers)
 * @param registration  etcd registration of this node
 */
@Validated
@ConfigurationProperties("hybridstore.storage-node")
public record StorageNodeProperties(
        @NotBlank @DefaultValue("storage-node-1") String nodeId,
        @NotNull @DefaultValue("./data/storage-node-1") Path dataDir,
        @NotBlank @DefaultValue("http://127.0.0.1:8001") String advertisedUrl,
        @NotNull @DefaultValue("sync") Durability durability,
        @Min(1) @DefaultValue("1024") int queueCapacity,
        @NotNull @DefaultValue("96MB") DataSize queueMaxBytes,
        @Min(1) @Max(64) @DefaultValue("2") int ioWorkers,
        @Min(1) @Max(4096) @DefaultValue("64") int maxBatch,
        @NotNull @DefaultValue("64MB") DataSize maxBlobSize,
        @NotNull @DefaultValue("128MB") DataSize segmentSize,
        @NotNull @DefaultValue("64MB") DataSize bodyBytesInFlight,
        @NotNull @DefaultValue("1s") Duration bodyWait,
        @NotNull @DefaultValue("30s") Duration bodyTimeout,
        @Valid @NotNull @DefaultValue Wire wire,
        @Valid @NotNull @DefaultValue Registration registration) {

    /** Blobs are held in one array in memory; 1 GiB keeps that far from the JVM's array limit. */
    private static final DataSize LARGEST_BLOB = DataSize.ofGigabytes(1);
    /** Counted in KiB by an int semaphore. */
    private static final long MAX_BODY_BYTES_IN_FLIGHT = (long) Integer.MAX_VALUE * 1024;

    public StorageNodeProperties {
        if (nodeId != null && !BlobId.isValid(nodeId)) {
            throw new IllegalArgumentException("node-id must be 1-200 of [A-Za-z0-9._-], not starting with '.': "
                    + nodeId);
        }
        if (maxBlobSize != null && (maxBlobSize.toBytes() < 1 || maxBlobSize.compareTo(LARGEST_BLOB) > 0)) {
            throw new IllegalArgumentException("max-blob-size must be between 1B and 1GB, was " + maxBlobSize);
        }
        if (maxBlobSize != null && queueMaxBytes != null && queueMaxBytes.compareTo(maxBlobSize) < 0) {
            throw new IllegalArgumentException("queue-max-bytes (" + queueMaxBytes + ") must be at least max-blob-size ("
                    + maxBlobSize + ")");
        }
        if (maxBlobSize != null && bodyBytesInFlight != null && bodyBytesInFlight.compareTo(maxBlobSize) < 0) {
            throw new IllegalArgumentException("body-bytes-in-flight (" + bodyBytesInFlight + ") must be at least"
                    + " max-blob-size (" + maxBlobSize + ")");
        }
        if (bodyBytesInFlight != null && bodyBytesInFlight.toBytes() > MAX_BODY_BYTES_IN_FLIGHT) {
            throw new IllegalArgumentException("body-bytes-in-flight must be at most 2TB, was " + bodyBytesInFlight);
        }
        if (bodyTimeout != null && !bodyTimeout.isPositive()) {
            throw new IllegalArgumentException("body-timeout must be positive, was " + bodyTimeout);
        }
        if (segmentSize != null && segmentSize.toBytes() < 1) {
            throw new IllegalArgumentException("segment-size must be positive, was " + segmentSize);
        }
    }

    /**
     * @param address     address to listen on; empty: every interface
     * @param port        port to listen on (0: any free port); registered in etcd with the advertised URL's host
     * @param idleTimeout how long a connection may wait for its next request before the node closes it
     * @param readTimeout how long a request may stall mid-frame before the node closes its connection
     */
    public record Wire(@NotNull @DefaultValue("") String address,
                       @Min(0) @Max(65535) @DefaultValue("8301") int port,
                       @NotNull @DefaultValue("60s") Duration idleTimeout,
                       @NotNull @DefaultValue("10s") Duration readTimeout) {

        public Wire {
            if (idleTimeout != null && idleTimeout.compareTo(Duration.ofSeconds(31)) < 0) {
                // Gateways and healers reuse a connection idle for up to 30 s: a shorter timeout would close
                // connections under them.
                throw new IllegalArgumentException("wire.idle-timeout must be above 30s, was " + idleTimeout);
            }
            if (readTimeout != null && !readTimeout.isPositive()) {
                throw new IllegalArgumentException("wire.read-timeout must be positive, was " + readTimeout);
            }
        }
    }

    /**
     * @param enabled false runs the node standalone, never registered: for benchmarks and tests only, not for
     *                production, where an unregistered node is invisible to the gateway and the healer
     * @param ttl     lease time-to-live; the node stops accepting writes when it cannot renew within it
     */
    public record Registration(@DefaultValue("true") boolean enabled, @NotNull @DefaultValue("5s") Duration ttl) {

        public Registration {
            if (ttl != null && ttl.compareTo(Duration.ofSeconds(2)) < 0) {
                throw new IllegalArgumentException("registration.ttl must be at least 2s (etcd's minimum lease), was "
                        + ttl);
            }
        }
    }

    public StoreConfig storeConfig() {
        return new StoreConfig(dataDir, durability, queueCapacity, queueMaxBytes.toBytes(), ioWorkers, maxBatch,
                segmentSize.toBytes());
    }
}
