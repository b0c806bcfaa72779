package io.hybridstore.healer.cluster;

import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.NodeInfo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which storage nodes may be written to and which are gone for good. A node whose etcd lease lapsed is only
 * {@link NodeState#DOWN} for the grace period — a restart should cost nothing — and {@link NodeState#DEAD} after,
 * when its blobs are rebuilt on other nodes. The clock starts when this healer first saw the node missing, so a
 * healer that just started waits a full grace period before declaring anything dead: slower, never wrong.
 */
public final class NodeLiveness {

    private final NodeDirectory directory;
    private final Duration grace;
    private final Clock clock;
    private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();

    public NodeLiveness(NodeDirectory directory, Duration grace, Clock clock) {
        this.directory = directory;
        this.grace = grace;
        this.clock = clock;
    }

    /**
     * A consistent view for one decision: the live nodes and every other node's state. Read fresh from etcd: a
     * cached list could still miss a node that restarted a moment ago, and its blobs would be left unrepaired.
     */
    public Snapshot snapshot() {
        List<NodeInfo> live = directory.fresh();
        Instant now = clock.instant();
        live.forEach(n -> missingSince.remove(n.id()));
        return new Snapshot(live, nodeId -> {
            if (live.stream().anyMatch(n -> n.id().equals(nodeId))) {
                return NodeState.LIVE;
            }
            Instant since = missingSince.computeIfAbsent(nodeId, id -> now);
            return now.isBefore(since.plus(grace)) ? NodeState.DOWN : NodeState.DEAD;
        });
    }

    public record Snapshot(List<NodeInfo> live, NodeStates states) {

        public NodeState state(String nodeId) {
            return states.of(nodeId);
        }
    }

    @FunctionalInterface
    public interface NodeStates {
        NodeState of(String nodeId);
    }
}
