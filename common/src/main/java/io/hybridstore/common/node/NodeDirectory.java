package io.hybridstore.common.node;

import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.GetOption;
import io.hybridstore.common.etcd.EtcdCalls;
import io.hybridstore.common.etcd.EtcdKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The storage nodes registered in etcd, each under a lease that expires when the node stops renewing it.
 *
 * <p>The list is cached for a short time: placement on every write does not need to hit etcd, and a node that
 * died within the cache time only costs one failed replica, which quorum absorbs. Nodes seen once are remembered,
 * so that a manifest naming a node whose lease has just lapsed can still be read from it.
 */
public final class NodeDirectory {

    private static final Logger log = LoggerFactory.getLogger(NodeDirectory.class);

    private final KV kv;
    private final EtcdKeys keys;
    private final Duration cacheTime;
    private final Duration timeout;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, NodeInfo> everSeen = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(List.of(), Instant.MIN);

    public NodeDirectory(KV kv, EtcdKeys keys, Duration cacheTime, Duration timeout, Clock clock) {
        this.kv = kv;
        this.keys = keys;
        this.cacheTime = cacheTime;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** The nodes whose registration is live, sorted by id. */
    public List<NodeInfo> live() {
        Snapshot current = snapshot;
        Instant now = clock.instant();
        if (now.isBefore(current.readAt().plus(cacheTime))) {
            return current.nodes();
        }
        return fresh();
    }

    /**
     * The nodes whose registration is live, read from etcd now rather than from the cache: for decisions that must
     * not miss a node that registered a moment ago, such as whether a blob's node is there to repair it.
     */
    public List<NodeInfo> fresh() {
        Instant now = clock.instant();
        List<NodeInfo> nodes = load();
        snapshot = new Snapshot(nodes, now);
        return nodes;
    }

    /** The node with this id: live, or last seen by this process. */
    public Optional<NodeInfo> resolve(String nodeId) {
        return live().stream().filter(n -> n.id().equals(nodeId)).findFirst()
                .or(() -> Optional.ofNullable(everSeen.get(nodeId)));
    }

    /** Every node this process has seen registered, live or not, sorted by id. */
    public List<NodeInfo> known() {
        live();
        return everSeen.values().stream().sorted(Comparator.comparing(NodeInfo::id)).toList();
    }

    private List<NodeInfo> load() {
        List<NodeInfo> nodes = EtcdCalls.await(
                        kv.get(EtcdKeys.bytes(keys.nodesPrefix()), GetOption.builder().isPrefix(true).build()),
                        timeout, "listing storage nodes")
                .getKvs().stream()
                .flatMap(kv -> parse(kv.getKey().toString(), kv.getValue().getBytes()).stream())
                .sorted(Comparator.comparing(NodeInfo::id))
                .toList();
        nodes.forEach(n -> everSeen.put(n.id(), n));
        return nodes;
    }

    /** A registration this version cannot read (another version's, damaged) leaves its node out, logged. */
    private Optional<NodeInfo> parse(String key, byte[] value) {
        try {
            return Optional.of(json.readValue(value, NodeInfo.class));
        } catch (RuntimeException e) {
            log.warn("Ignoring the unreadable storage-node registration {}: {}", key, e.getMessage());
            return Optional.empty();
        }
    }

    private record Snapshot(List<NodeInfo> nodes, Instant readAt) {
    }
}
