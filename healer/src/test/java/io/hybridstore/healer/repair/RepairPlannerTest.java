package io.hybridstore.healer.repair;

import io.hybridstore.common.manifest.ErasureCodedPart;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.manifest.Shard;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.manifest.Stripe;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.placement.PlacementKeys;
import io.hybridstore.healer.cluster.NodeLiveness;
import io.hybridstore.healer.cluster.NodeState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RepairPlannerTest {

    private static final List<NodeInfo> SIX = IntStream.rangeClosed(1, 6)
            .mapToObj(i -> new NodeInfo("n" + i, "http://n" + i, "n" + i + ":8301")).toList();
    private final RepairPlanner planner = new RepairPlanner(3);

    @Test
    void badReplicaOnLiveNodeIsRewrittenThereUnderANewId() {
        Manifest m = replicated(List.of(replica("n1", 0), replica("n2", 1), replica("n3", 2)));
        RepairPlan plan = planner.plan(m, bad("n2/v1.data.1"), nodes(Map.of()));
        assertThat(plan.replicas()).singleElement().satisfies(fix -> {
            assertThat(fix.target().id()).isEqualTo("n2");
            assertThat(RepairedIds.original(fix.newBlob())).isEqualTo("v1.data.1");
            assertThat(fix.replaced().blob()).isEqualTo("v1.data.1");
        });
    }

    @Test
    void replicaOnDeadNodeMovesToANodeThePartDoesNotUse() {
        Manifest m = replicated(List.of(replica("n1", 0), replica("n2", 1), replica("n3", 2)));
        RepairPlan plan = planner.plan(m, bad("n3/v1.data.2"), nodes(Map.of("n3", NodeState.DEAD)));
        assertThat(plan.replicas()).singleElement()
                .satisfies(fix -> assertThat(fix.target().id()).isNotIn("n1", "n2", "n3"));
    }

    @Test
    void replicaOnBrieflyDownNodeIsLeftAlone() {
        Manifest m = replicated(List.of(replica("n1", 0), replica("n2", 1), replica("n3", 2)));
        assertThat(planner.plan(m, unknownOn("n3"), nodes(Map.of("n3", NodeState.DOWN))).isEmpty()).isTrue();
    }

    @Test
    void partialWriteIsFilledUpToThreeReplicas() {
        Manifest m = replicated(List.of(replica("n1", 0), replica("n2", 2)));
        RepairPlan plan = planner.plan(m, bad(), nodes(Map.of()));
        assertThat(plan.replicas()).singleElement().satisfies(fix -> {
            assertThat(fix.replaced()).isNull();
            assertThat(RepairedIds.original(fix.newBlob())).isEqualTo("v1.data.1");
            assertThat(fix.target().id()).isNotIn("n1", "n2");
        });
    }

    @Test
    void noIntactReplicaMeansNothingToCopyFrom() {
        Manifest m = replicated(List.of(replica("n1", 0), replica("n2", 1)));
        assertThat(planner.plan(m, bad("n1/v1.data.0", "n2/v1.data.1"), nodes(Map.of())).isEmpty()).isTrue();
    }

    @Test
    void shardOnDeadNodeMovesToTheOnlyNodeTheStripeDoesNotUse() {
        List<Shard> shards = IntStream.range(0, 5).mapToObj(i -> shard(i, "n" + (i + 1))).toList();
        Manifest m = coded(shards);
        RepairPlan plan = planner.plan(m, bad("n1/v1.data.0"), nodes(Map.of("n1", NodeState.DEAD)));
        assertThat(plan.stripes()).singleElement().satisfies(stripe -> {
            assertThat(stripe.shards()).extracting(RepairPlan.ShardFix::index).containsExactly(0);
            assertThat(stripe.shards()).extracting(f -> f.target().id()).containsExactly("n6");
        });
    }

    @Test
    void partialStripeIsFilledAndCorruptShardRewrittenInPlace() {
        List<Shard> shards = IntStream.range(0, 5).mapToObj(i -> shard(i, "n" + (i + 1))).toList();
        RepairPlan plan = planner.plan(coded(shards), bad("n2/v1.data.1"), nodes(Map.of()));
        assertThat(plan.stripes()).singleElement().satisfies(stripe -> assertThat(stripe.shards())
                .extracting(f -> f.index() + "@" + f.target().id() + ":" + RepairedIds.original(f.newBlob()))
                .containsExactly("1@n2:v1.data.1", "5@n6:v1.data.5"));
    }

    @Test
    void stripeWithFewerThanKIntactShardsIsLeftAlone() {
        List<Shard> shards = IntStream.range(0, 6).mapToObj(i -> shard(i, "n" + (i + 1))).toList();
        RepairPlan plan = planner.plan(coded(shards), bad("n1/v1.data.0", "n2/v1.data.1", "n3/v1.data.2"), nodes(Map.of()));
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void repairedIdsCarryTheAttemptAndNeverGrow() {
        assertThat(RepairedIds.next("v1.cold-s2.4", "a1")).isEqualTo("v1.cold-s2.4.ra1");
        assertThat(RepairedIds.next("v1.cold-s2.4.ra1", "b2")).isEqualTo("v1.cold-s2.4.rb2");
        assertThat(RepairedIds.next("v1.cold-s2.4.r1", "b2")).as("the old counter scheme").isEqualTo("v1.cold-s2.4.rb2");
        assertThat(RepairedIds.index("v1.hot.2.r7")).isEqualTo(2);
        assertThat(RepairedIds.index("v1.hot.2.rk3x9")).isEqualTo(2);
        assertThat(RepairedIds.fill("v1.hot.0.r3", 1, "c3")).isEqualTo("v1.hot.1.rc3");
    }

    @Test
    void twoPlansOfOneDamageNameDifferentBlobs() {
        Manifest m = replicated(List.of(replica("n1", 0), replica("n2", 1), replica("n3", 2)));
        String first = planner.plan(m, bad("n2/v1.data.1"), nodes(Map.of())).replicas().getFirst().newBlob();
        String second = planner.plan(m, bad("n2/v1.data.1"), nodes(Map.of())).replicas().getFirst().newBlob();
        assertThat(first).isNotEqualTo(second);
        assertThat(RepairedIds.original(first)).isEqualTo(RepairedIds.original(second)).isEqualTo("v1.data.1");
    }

    @Test
    void hybridPartsUseTheGatewaysPlacementKeys() {
        Manifest m = new Manifest("k", "v1", Strategy.FIELD_HYBRID, "application/json", 1, "s", 0, null, null, List.of());
        assertThat(PlacementKeys.replicated(m)).isEqualTo("k#hot");
        assertThat(PlacementKeys.stripe(m, 1)).isEqualTo("k#cold#1");
    }

    private static Replica replica(String node, int index) {
        return new Replica(node, "v1.data." + index, 7);
    }

    private static Shard shard(int index, String node) {
        return new Shard(index, node, "v1.data." + index, 7);
    }

    private static Manifest replicated(List<Replica> replicas) {
        return new Manifest("k", "v1", Strategy.REPLICATION, "application/json", 10, "s", 0,
                new ReplicatedPart(10, "s", replicas), null, null);
    }

    private static Manifest coded(List<Shard> shards) {
        return new Manifest("k", "v1", Strategy.EC, "application/json", 10, "s", 0, null,
                new ErasureCodedPart(4, 2, 10, "s", List.of(new Stripe(10, 3, shards))), null);
    }

    /** Everything intact except the listed "node/blob"s. */
    private static BlobVerdicts bad(String... refs) {
        Set<String> badSet = Set.of(refs);
        return (node, blob) -> badSet.contains(node + "/" + blob) ? Verdict.BAD : Verdict.INTACT;
    }

    private static BlobVerdicts unknownOn(String nodeId) {
        return (node, blob) -> node.equals(nodeId) ? Verdict.UNKNOWN : Verdict.INTACT;
    }

    private static NodeLiveness.Snapshot nodes(Map<String, NodeState> notLive) {
        List<NodeInfo> live = SIX.stream().filter(n -> !notLive.containsKey(n.id())).toList();
        return new NodeLiveness.Snapshot(live, id -> notLive.getOrDefault(id, NodeState.LIVE));
    }
}
