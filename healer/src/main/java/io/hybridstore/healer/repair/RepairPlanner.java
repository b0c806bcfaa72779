package io.hybridstore.healer.repair;

import io.hybridstore.common.manifest.ErasureCodedPart;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.manifest.Shard;
import io.hybridstore.common.manifest.Stripe;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.placement.PlacementKeys;
import io.hybridstore.common.placement.RendezvousPlacement;
import io.hybridstore.healer.cluster.NodeLiveness;
import io.hybridstore.healer.cluster.NodeState;
import io.hybridstore.healer.repair.RepairPlan.ReplicaFix;
import io.hybridstore.healer.repair.RepairPlan.ShardFix;
import io.hybridstore.healer.repair.RepairPlan.StripeFix;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Decides what a manifest needs, from the verdicts on its blobs and the nodes' states; does no I/O.
 *
 * <ul>
 *   <li>A bad blob on a live node is rewritten on that node (its placement is still the right one).</li>
 *   <li>A blob on a node dead past the grace period moves to the live node that rendezvous hashing ranks highest
 *       for the part's placement key among the nodes the part does not use yet.</li>
 *   <li>Replicas or shards the write never made (a partial write) are added the same way, up to the full count.</li>
 *   <li>Unknown blobs (node briefly down, no answer) are left alone; a part with no intact source is left alone.</li>
 * </ul>
 */
final class RepairPlanner {

    private final int replicas;

    RepairPlanner(int replicas) {
        this.replicas = replicas;
    }

    /** A plan is one repair attempt: every blob it names carries the same fresh attempt token. */
    RepairPlan plan(Manifest manifest, BlobVerdicts verdicts, NodeLiveness.Snapshot nodes) {
        String attempt = RepairedIds.newAttempt();
        List<ReplicaFix> replicaFixes = manifest.replicated() == null ? List.of()
                : planReplicated(manifest, manifest.replicated(), verdicts, nodes, attempt);
        List<StripeFix> stripeFixes = new ArrayList<>();
        ErasureCodedPart ec = manifest.erasureCoded();
        if (ec != null) {
            for (int s = 0; s < ec.stripes().size(); s++) {
                List<ShardFix> fixes = planStripe(manifest, ec, s, verdicts, nodes, attempt);
                if (!fixes.isEmpty()) {
                    stripeFixes.add(new StripeFix(s, fixes));
                }
            }
        }
        return new RepairPlan(replicaFixes, stripeFixes);
    }

    private List<ReplicaFix> planReplicated(Manifest manifest, ReplicatedPart part, BlobVerdicts verdicts,
                                            NodeLiveness.Snapshot nodes, String attempt) {
        if (part.replicas().stream().noneMatch(r -> verdicts.of(r.node(), r.blob()) == Verdict.INTACT)) {
            return List.of();
        }
        String placementKey = PlacementKeys.replicated(manifest);
        Set<String> used = new HashSet<>(part.replicas().stream().map(Replica::node).toList());
        List<ReplicaFix> fixes = new ArrayList<>();
        for (Replica replica : part.replicas()) {
            if (verdicts.of(replica.node(), replica.blob()) != Verdict.BAD) {
                continue;
            }
            target(replica.node(), placementKey, used, nodes)
                    .ifPresent(node -> fixes.add(new ReplicaFix(replica, node, RepairedIds.next(replica.blob(), attempt))));
        }
        Set<Integer> indices = new HashSet<>(part.replicas().stream().map(r -> RepairedIds.index(r.blob())).toList());
        String sibling = part.replicas().getFirst().blob();
        int next = 0;
        for (int missing = replicas - part.replicas().size(); missing > 0; missing--) {
            while (indices.contains(next)) {
                next++;
            }
            indices.add(next);
            int index = next;
            replacement(placementKey, used, nodes)
                    .ifPresent(node -> fixes.add(new ReplicaFix(null, node, RepairedIds.fill(sibling, index, attempt))));
        }
        return fixes;
    }

    private List<ShardFix> planStripe(Manifest manifest, ErasureCodedPart ec, int s, BlobVerdicts verdicts,
                                      NodeLiveness.Snapshot nodes, String attempt) {
        Stripe stripe = ec.stripes().get(s);
        long intact = stripe.shards().stream().filter(sh -> verdicts.of(sh.node(), sh.blob()) == Verdict.INTACT).count();
        if (intact < ec.k() || stripe.shards().isEmpty()) {
            return List.of();
        }
        String placementKey = PlacementKeys.stripe(manifest, s);
        Set<String> used = new HashSet<>(stripe.shards().stream().map(Shard::node).toList());
        String sibling = stripe.shards().getFirst().blob();
        List<ShardFix> fixes = new ArrayList<>();
        IntStream.range(0, ec.k() + ec.m()).forEach(index -> {
            Optional<Shard> shard = stripe.shards().stream().filter(sh -> sh.index() == index).findFirst();
            if (shard.isEmpty()) {
                replacement(placementKey, used, nodes).ifPresent(node ->
                        fixes.add(new ShardFix(index, null, node, RepairedIds.fill(sibling, index, attempt))));
            } else if (verdicts.of(shard.get().node(), shard.get().blob()) == Verdict.BAD) {
                Shard bad = shard.get();
                target(bad.node(), placementKey, used, nodes).ifPresent(node ->
                        fixes.add(new ShardFix(index, bad, node, RepairedIds.next(bad.blob(), attempt))));
            }
        });
        return fixes;
    }

    /** The same node while it is live; a replacement once it is dead; nothing while it is briefly down. */
    private static Optional<NodeInfo> target(String nodeId, String placementKey, Set<String> used,
                                             NodeLiveness.Snapshot nodes) {
        return switch (nodes.state(nodeId)) {
            case LIVE -> nodes.live().stream().filter(n -> n.id().equals(nodeId)).findFirst();
            case DEAD -> replacement(placementKey, used, nodes);
            case DOWN -> Optional.empty();
        };
    }

    private static Optional<NodeInfo> replacement(String placementKey, Set<String> used, NodeLiveness.Snapshot nodes) {
        List<NodeInfo> candidates = nodes.live().stream()
                .filter(n -> !used.contains(n.id()) && nodes.state(n.id()) == NodeState.LIVE).toList();
        Optional<NodeInfo> chosen = RendezvousPlacement.choose(placementKey, candidates, 1).stream().findFirst();
        chosen.ifPresent(n -> used.add(n.id()));
        return chosen;
    }
}
