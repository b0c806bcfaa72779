package io.hybridstore.common.node;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.manifest.BlobRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The blobs a manifest names, by node id: the node is looked up in the directory, and a node that is unknown, down
 * or refusing is an answer ("not there", "not deleted"), never an exception, because every caller reads around a
 * bad blob or leaves it to the healer's garbage collection.
 */
public final class NodeBlobs {

    private static final Logger log = LoggerFactory.getLogger(NodeBlobs.class);

    private final NodeDirectory directory;
    private final StorageNodeClient client;

    public NodeBlobs(NodeDirectory directory, StorageNodeClient client) {
        this.directory = directory;
        this.client = client;
    }

    /** The blob's bytes if its node is known, answers and holds it with CRC32C {@code crc32c}; empty otherwise. */
    public Optional<byte[]> fetch(String nodeId, String blob, long crc32c) {
        return directory.resolve(nodeId).flatMap(node -> {
            try {
                return client.get(node, new BlobId(blob), OptionalLong.of(crc32c));
            } catch (StorageNodeException e) {
                return Optional.empty();
            }
        });
    }

    /**
     * Deletes the blob ({@code durable}: the node answers once the delete is on disk); false, logged, when its node
     * is unknown or the delete failed, so the blob is left for garbage collection.
     */
    public boolean delete(BlobRef ref, boolean durable) {
        Optional<NodeInfo> node = directory.resolve(ref.node());
        if (node.isEmpty()) {
            log.info("Could not delete blob {}: node {} was never seen registered; left for garbage collection",
                    ref.blob(), ref.node());
            return false;
        }
        try {
            client.delete(node.get(), new BlobId(ref.blob()), durable);
            return true;
        } catch (StorageNodeException e) {
            log.info("Could not delete blob {} on {}; left for garbage collection: {}", ref.blob(), ref.node(),
                    e.getMessage());
            return false;
        }
    }
}
