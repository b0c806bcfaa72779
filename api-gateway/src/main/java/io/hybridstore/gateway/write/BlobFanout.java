package io.hybridstore.gateway.write;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.concurrent.FanOut;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.node.NodeBlobs;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts and deletes many blobs at once. Small blobs are put from the calling thread, every request sent before any
 * answer is read ({@link StorageNodeClient#putAll}); larger ones and deletes get a virtual thread each. Every
 * request is bounded by the storage-node client's timeout, so waiting for all of them is bounded too, and the
 * caller sees one result per blob — the quorum decision is the caller's, never "first error wins".
 */
@Component
public class BlobFanout {

    /**
     * Deletes in flight per call. A gigabyte object is thousands of blobs, and one connection each would hold
     * megabytes of buffers in the gateway (it ran out of heap on one delete) and a thousand connections per node;
     * deletes are small, so 64 at a time keep every node busy.
     */
    static final int MAX_PARALLEL_DELETES = 64;

    private final StorageNodeClient client;
    private final NodeBlobs nodeBlobs;

    BlobFanout(StorageNodeClient client, NodeDirectory nodes) {
        this.client = client;
        this.nodeBlobs = new NodeBlobs(nodes, client);
    }

    /** A blob to store: its bytes, their CRC32C, and the node chosen for it. */
    public record PlannedBlob(NodeInfo node, BlobId id, byte[] data, long crc32c) {

        public BlobRef ref() {
            return new BlobRef(node.id(), id.value());
        }

        /** The same blob bound for another node. */
        public PlannedBlob on(NodeInfo other) {
            return new PlannedBlob(other, id, data, crc32c);
        }
    }

    /**
     * The outcome of one put: {@code failure} is null when the node acknowledged the blob; {@code unreachable}
     * when the node could not be connected to or did not answer in time (rather than answering with an error).
     */
    public record PutResult(PlannedBlob blob, String failure, boolean unreachable) {

        public boolean succeeded() {
            return failure == null;
        }
    }

    /**
     * A thread per put cost the gateway more than the puts: starting it, parking it on its socket and waking it
     * on the answer, then waking the caller, about six thread hand-offs per blob of a small write.
     */
    public List<PutResult> putAll(List<PlannedBlob> blobs) {
        if (blobs.stream().allMatch(b -> b.data().length <= StorageNodeClient.PIPELINED_PUT_MAX)) {
            List<Optional<StorageNodeException>> failures = client.putAll(blobs.stream()
                    .map(b -> new StorageNodeClient.Put(b.node(), b.id(), b.data(), b.crc32c())).toList());
            List<PutResult> results = new ArrayList<>(blobs.size());
            for (int i = 0; i < blobs.size(); i++) {
                PlannedBlob blob = blobs.get(i);
                results.add(failures.get(i).map(e -> result(blob, e)).orElseGet(() -> new PutResult(blob, null, false)));
            }
            return results;
        }
        return FanOut.map(blobs, this::put);
    }

    /**
     * Deletes the blobs durably, best effort: a node that is down keeps its copy as garbage for the healer to
     * collect. Returns the number of blobs that could not be deleted.
     */
    public int deleteAll(List<BlobRef> refs) {
        return deleteAll(refs, true);
    }

    /**
     * Deletes blobs that no manifest references (an aborted write's) without waiting
     * for the nodes to make the deletes durable: that would add an fsync'ed round trip to every overwrite, and a
     * delete a crash undoes only brings back garbage, which the healer collects. Returns the number not deleted.
     */
    public int discardAll(List<BlobRef> refs) {
        return deleteAll(refs, false);
    }

    private int deleteAll(List<BlobRef> refs, boolean durable) {
        return (int) FanOut.map(refs, MAX_PARALLEL_DELETES, ref -> nodeBlobs.delete(ref, durable)).stream()
                .filter(deleted -> !deleted).count();
    }

    private PutResult put(PlannedBlob blob) {
        try {
            client.put(blob.node(), blob.id(), blob.data(), blob.crc32c());
            return new PutResult(blob, null, false);
        } catch (StorageNodeException e) {
            return result(blob, e);
        }
    }

    private static PutResult result(PlannedBlob blob, StorageNodeException failure) {
        return new PutResult(blob, failure.getMessage(), failure.status() == 0);
    }
}
