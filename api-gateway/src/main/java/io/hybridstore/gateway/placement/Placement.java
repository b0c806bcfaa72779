package io.hybridstore.gateway.placement;

import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.placement.InsufficientNodesException;
import io.hybridstore.common.placement.RendezvousPlacement;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Chooses the live nodes for the blobs of one part. With fewer live nodes than blobs, a write still goes ahead as
 * long as it can reach its quorum: the blobs without a node are left for the healer to place, which keeps one
 * failed node from stopping every write.
 */
@Component
public class Placement {

    private final NodeDirectory nodes;

    Placement(NodeDirectory nodes) {
        this.nodes = nodes;
    }

    /**
     * Up to {@code count} distinct live nodes for {@code placementKey}, best first.
     *
     * @throws InsufficientNodesException when fewer than {@code quorum} nodes are live
     */
    public List<NodeInfo> choose(String placementKey, int count, int quorum) {
        List<NodeInfo> live = nodes.live();
        if (live.size() < quorum) {
            throw new InsufficientNodesException(quorum, live.size());
        }
        return RendezvousPlacement.choose(placementKey, live, count);
    }
}
