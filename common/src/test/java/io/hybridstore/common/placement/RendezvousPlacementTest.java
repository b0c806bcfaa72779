package io.hybridstore.common.placement;

import io.hybridstore.common.node.NodeInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RendezvousPlacementTest {

    private static final List<NodeInfo> SIX = IntStream.rangeClosed(1, 6)
            .mapToObj(i -> new NodeInfo("storage-node-" + i, "http://127.0.0.1:800" + i, "127.0.0.1:830" + i)).toList();

    @Test
    void choosesDistinctNodesDeterministically() {
        List<NodeInfo> first = RendezvousPlacement.choose("user:42", SIX, 3);
        assertThat(first).hasSize(3).doesNotHaveDuplicates();
        assertThat(RendezvousPlacement.choose("user:42", SIX.reversed(), 3)).isEqualTo(first);
    }

    @Test
    void losingANodeOnlyMovesThePlacementsThatUsedIt() {
        NodeInfo gone = SIX.get(2);
        List<NodeInfo> five = SIX.stream().filter(n -> n != gone).toList();
        for (int i = 0; i < 500; i++) {
            List<NodeInfo> before = RendezvousPlacement.choose("key-" + i, SIX, 3);
            List<NodeInfo> after = RendezvousPlacement.choose("key-" + i, five, 3);
            List<NodeInfo> kept = new ArrayList<>(before);
            kept.remove(gone);
            assertThat(after).containsAll(kept);
        }
    }

    @Test
    void spreadsKeysEvenlyAcrossNodes() {
        Map<String, Integer> firstChoices = new HashMap<>();
        for (int i = 0; i < 6000; i++) {
            firstChoices.merge(RendezvousPlacement.choose("key-" + i, SIX, 1).getFirst().id(), 1, Integer::sum);
        }
        assertThat(firstChoices).hasSize(6);
        assertThat(firstChoices.values()).allSatisfy(count -> assertThat(count).isBetween(800, 1200));
    }

    @Test
    void choosesEveryNodeWhenFewerThanAskedAreLive() {
        assertThat(RendezvousPlacement.choose("k", SIX.subList(0, 2), 3)).containsExactlyInAnyOrderElementsOf(SIX.subList(0, 2));
    }
}
