package io.hybridstore.common.placement;

import io.hybridstore.common.node.NodeInfo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;

import static io.hybridstore.common.hash.Checksums.sha256;

/**
 * Highest-random-weight (rendezvous) hashing: every node gets a score per placement key and the highest scores
 * win. When a node joins or leaves, only the placements that involved it move — unlike modulo hashing — and no
 * shared ring state has to be agreed on: any gateway or healer computes the same answer from the same node list.
 */
public final class RendezvousPlacement {

    private RendezvousPlacement() {
    }

    /**
     * The {@code count} distinct nodes with the highest score for {@code placementKey}, best first; all of them
     * when fewer are given.
     */
    public static List<NodeInfo> choose(String placementKey, List<NodeInfo> nodes, int count) {
        return nodes.stream()
                .sorted(Comparator.comparingLong((NodeInfo node) -> score(placementKey, node.id())).reversed()
                        .thenComparing(NodeInfo::id))
                .limit(count)
                .toList();
    }

    static long score(String placementKey, String nodeId) {
        MessageDigest digest = sha256();
        digest.update(placementKey.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(nodeId.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest.digest()).getLong();
    }
}
