package io.hybridstore.gateway.read;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The read protocol: the manifest from etcd (a linearizable read, so a read never sees an older version than an
 * acknowledged write), then the bytes from the blobs it names, each verified against the manifest's CRC32C.
 * A read that had to skip a bad blob still succeeds and reports the bad blob.
 */
@Component
public class ReadCoordinator {

    private static final Logger log = LoggerFactory.getLogger(ReadCoordinator.class);

    private final ManifestStore manifests;
    private final NodeDirectory nodes;
    private final StorageNodeClient client;
    private final Counter degradedReads;

    ReadCoordinator(ManifestStore manifests, NodeDirectory nodes, StorageNodeClient client, MeterRegistry meters) {
        this.manifests = manifests;
        this.nodes = nodes;
        this.client = client;
        this.degradedReads = Counter.builder("hybridstore.gateway.degraded.reads")
                .description("Reads that found a missing or corrupt blob and read around it")
                .register(meters);
    }

    public StoredObject read(String key) {
        Manifest manifest = manifests.get(key).map(VersionedManifest::manifest)
                .orElseThrow(() -> new ObjectNotFoundException(key));
        byte[] value = switch (manifest.strategy()) {
            case REPLICATION -> readReplicated(manifest, manifest.replicated());
            case EC, FIELD_HYBRID -> throw new ObjectUnavailableException(
                    "reading strategy " + manifest.strategy().wireName() + " is not implemented yet");
        };
        return new StoredObject(manifest, value);
    }

    /** Tries the replicas in manifest order and returns the first one that verifies. */
    private byte[] readReplicated(Manifest manifest, ReplicatedPart part) {
        List<String> bad = new ArrayList<>();
        for (Replica replica : part.replicas()) {
            Optional<byte[]> bytes = fetch(replica.node(), replica.blob(), replica.crc32c());
            if (bytes.isPresent()) {
                reportBad(manifest, bad);
                return bytes.get();
            }
            bad.add(replica.node() + "/" + replica.blob());
        }
        throw new ObjectUnavailableException("none of the " + part.replicas().size() + " replicas of '"
                + manifest.key() + "' could be read intact: " + bad);
    }

    private Optional<byte[]> fetch(String nodeId, String blob, long crc32c) {
        Optional<NodeInfo> node = nodes.resolve(nodeId);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        try {
            return client.get(node.get(), new BlobId(blob), OptionalLong.of(crc32c));
        } catch (StorageNodeException e) {
            log.debug("Replica {} on {} unreadable: {}", blob, nodeId, e.getMessage());
            return Optional.empty();
        }
    }

    private void reportBad(Manifest manifest, List<String> bad) {
        if (!bad.isEmpty()) {
            degradedReads.increment();
            log.warn("Degraded read of '{}' version {}: missing or corrupt blobs {}", manifest.key(),
                    manifest.version(), bad);
        }
    }
}
