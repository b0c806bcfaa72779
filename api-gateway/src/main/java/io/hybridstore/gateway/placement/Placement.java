package io.hybridstore.gateway.placement;

import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.placement.InsufficientNodesException;
import io.hybridstore.common.placement.RendezvousPlacement;
import io.hybridstore.gateway.GatewayProperties;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Chooses the live nodes for the blobs of one part. With fewer live nodes than blobs, a write still goes ahead as
 * long as it can reach its quorum: the blobs without a node are left for the healer to place, which keeps one
 * failed node from stopping every write.
 *
 * <p>A node killed a moment ago stays registered until its etcd lease runs out. A node a put could not reach is
 * therefore suspected for {@code node-suspect-time}: placements rank it last, and a failed put moves to the next
 * node in rendezvous order that is neither suspected nor already used by the part.
 */
@Component
public class Placement {

    private final NodeDirectory nodes;
    private final Duration suspectTime;
    private final Clock clock;
    private final Map<String, Instant> suspectedUntil = new ConcurrentHashMap<>();

    public Placement(NodeDirectory nodes, GatewayProperties properties, Clock clock) {
        this.nodes = nodes;
        this.suspectTime = properties.nodeSuspectTime();
        this.clock = clock;
    }

    /**
     * Up to {@code count} distinct live nodes for {@code placementKey}, best first, suspected nodes only when the
     * others are too few.
     *
     * @throws InsufficientNodesException when fewer than {@code quorum} nodes are live
     */
    public List<NodeInfo> choose(String placementKey, int count, int quorum) {
        List<NodeInfo> live = nodes.live();
        if (live.size() < quorum) {
            throw new InsufficientNodesException(quorum, live.size());
        }
        List<NodeInfo> ranked = RendezvousPlacement.choose(placementKey, live, live.size());
        return Stream.concat(ranked.stream().filter(node -> !suspected(node)), ranked.stream().filter(this::suspected))
                .limit(count)
                .toList();
    }

    /** The best live, unsuspected node for {@code placementKey} outside {@code excludedNodeIds}. */
    public Optional<NodeInfo> fallback(String placementKey, Set<String> excludedNodeIds) {
        List<NodeInfo> live = nodes.live();
        return RendezvousPlacement.choose(placementKey, live, live.size()).stream()
                .filter(node -> !excludedNodeIds.contains(node.id()) && !suspected(node))
                .findFirst();
    }

    /** A put to {@code node} could not connect or timed out. */
    public void suspect(NodeInfo node) {
        suspectedUntil.put(node.id(), clock.instant().plus(suspectTime));
    }

    private boolean suspected(NodeInfo node) {
        Instant until = suspectedUntil.get(node.id());
        if (until == null) {
            return false;
        }
        if (clock.instant().isBefore(until)) {
            return true;
        }
        suspectedUntil.remove(node.id(), until);
        return false;
    }
}
