package io.hybridstore.healer.repair;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.concurrent.FanOut;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.node.BlobCheck;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import io.hybridstore.healer.cluster.NodeLiveness;
import io.hybridstore.healer.cluster.NodeState;
import io.hybridstore.healer.status.HealerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Verdicts for many blobs at once: one {@code POST /blobs/check} per node, all nodes in parallel. Verifying, the
 * node reads each blob and checks its CRC32C itself, so finding damage costs the healer only the id lists — it
 * never downloads a healthy blob; not verifying, the node only consults its index.
 */
final class BlobChecker {

    private static final Logger log = LoggerFactory.getLogger(BlobChecker.class);

    private final StorageNodeClient client;
    private final HealerStats stats;

    BlobChecker(StorageNodeClient client, HealerStats stats) {
        this.client = client;
        this.stats = stats;
    }

    /** {@code expectedCrc32c} holds the blobs to check with the CRC32C their manifest recorded for each. */
    BlobVerdicts check(Map<BlobRef, Long> expectedCrc32c, NodeLiveness.Snapshot nodes, boolean verify) {
        Map<String, List<BlobRef>> byNode = expectedCrc32c.keySet().stream()
                .collect(Collectors.groupingBy(BlobRef::node));
        Map<BlobRef, Verdict> verdicts = new HashMap<>();
        Map<NodeInfo, List<BlobRef>> toAsk = new HashMap<>();
        byNode.forEach((nodeId, blobs) -> {
            NodeState state = nodes.state(nodeId);
            if (state == NodeState.LIVE) {
                nodes.live().stream().filter(n -> n.id().equals(nodeId)).findFirst()
                        .ifPresent(node -> toAsk.put(node, blobs));
            } else if (state == NodeState.DEAD) {
                blobs.forEach(b -> verdicts.put(b, Verdict.BAD));
            } else {
                log.info("{} blobs on node {} left for a later pass: the node is down (not registered in etcd) but "
                        + "still within its grace period", blobs.size(), nodeId);
                blobs.forEach(b -> verdicts.put(b, Verdict.UNKNOWN));
            }
        });
        try {
            FanOut.map(toAsk.entrySet(), e -> ask(e.getKey(), e.getValue(), expectedCrc32c, verify)).forEach(verdicts::putAll);
        } catch (FanOut.FanOutInterruptedException e) {
            return (node, blob) -> Verdict.UNKNOWN;
        }
        return (node, blob) -> verdicts.getOrDefault(new BlobRef(node, blob), Verdict.UNKNOWN);
    }

    private Map<BlobRef, Verdict> ask(NodeInfo node, List<BlobRef> blobs, Map<BlobRef, Long> expectedCrc32c,
                                      boolean verify) {
        Map<BlobRef, Verdict> result = new HashMap<>();
        try {
            stats.checkSent();
            Map<BlobId, Long> crcs = new LinkedHashMap<>();
            blobs.forEach(b -> crcs.put(new BlobId(b.blob()), expectedCrc32c.get(b)));
            BlobCheck check = client.check(node, crcs, verify);
            check.intact().forEach(id -> result.put(new BlobRef(node.id(), id), Verdict.INTACT));
            check.missing().forEach(id -> result.put(new BlobRef(node.id(), id), Verdict.BAD));
            check.corrupt().forEach(id -> result.put(new BlobRef(node.id(), id), Verdict.BAD));
        } catch (StorageNodeException | JacksonException e) {
            log.warn("{} blobs on node {} left for a later pass: the batch check failed: {}", blobs.size(), node.id(),
                    e.getMessage());
            blobs.forEach(b -> result.put(b, Verdict.UNKNOWN));
        }
        return result;
    }
}
