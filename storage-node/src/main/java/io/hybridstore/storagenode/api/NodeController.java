package io.hybridstore.storagenode.api;

import io.hybridstore.common.node.NodeUsage;
import io.hybridstore.storagenode.config.StorageNodeProperties;
import io.hybridstore.storagenode.store.BlobStore;
import io.hybridstore.storagenode.store.StoreStats;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Locale;

/** Liveness for the gateway's node status, and the figures behind its storage usage. */
@RestController
class NodeController {

    private final BlobStore store;
    private final WriteAdmission admission;
    private final String nodeId;

    NodeController(BlobStore store, WriteAdmission admission, StorageNodeProperties properties) {
        this.store = store;
        this.admission = admission;
        this.nodeId = properties.nodeId();
    }

    /** Healthy means accepting writes: a node that would refuse them must not be picked for placement. */
    @GetMapping("/health")
    ResponseEntity<HealthBody> health() {
        boolean healthy = admission.refusal().isEmpty();
        return ResponseEntity.status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(new HealthBody(healthy ? "healthy" : "unhealthy", "storage_node", nodeId));
    }

    @GetMapping("/info")
    NodeUsage info() {
        StoreStats stats = store.stats();
        return new NodeUsage(nodeId, stats.blobCount(), stats.totalBytes(), stats.queueDepth(), stats.queueCapacity(),
                stats.fsyncs(), stats.bytesWritten(), stats.corruptReads(),
                stats.durability().name().toLowerCase(Locale.ROOT));
    }
}
