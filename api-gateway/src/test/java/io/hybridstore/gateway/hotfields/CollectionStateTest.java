package io.hybridstore.gateway.hotfields;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CollectionStateTest {

    private static final LearningProperties SETTINGS = new LearningProperties(true, ":", 100, 0.5,
            DataSize.ofBytes(1024), 3, 256, 1000, Duration.ofSeconds(1), Duration.ofSeconds(1));
    private static final Set<String> CONFIGURED = Set.of("like_count");

    /** Totals after {@code overwrites} more overwrites in which each field changed {@code changes} times. */
    private static Counts after(Counts totals, long overwrites, Map<String, long[]> changesAndSize) {
        Map<String, long[]> fields = new HashMap<>();
        changesAndSize.forEach((name, c) -> fields.put(name, new long[]{c[0], c[1] * overwrites, overwrites}));
        return totals.plus(new Counts(overwrites, fields));
    }

    @Test
    void aFieldChangingInMostOverwritesAndSmallIsPromotedOnceTheWindowIsFull() {
        CollectionState state = CollectionState.initial();
        Map<String, long[]> traffic = Map.of("status_flags", new long[]{99, 3}, "description", new long[]{0, 800_000},
                "title", new long[]{10, 20});
        Counts early = after(Counts.empty(), 99, traffic);
        assertThat(state.decide(early, SETTINGS, CONFIGURED, 1)).as("a window not yet full").isEmpty();

        Counts full = after(Counts.empty(), 100, traffic);
        CollectionState next = state.decide(full, SETTINGS, CONFIGURED, 7).orElseThrow();
        assertThat(next.learned()).containsOnlyKeys("status_flags");
        assertThat(next.learned().get("status_flags").since()).isEqualTo(7);
        assertThat(next.learned().get("status_flags").ratio()).isEqualTo(0.99);
        assertThat(next.hotSet(CONFIGURED)).containsExactlyInAnyOrder("like_count", "status_flags");
        assertThat(next.windows()).isEqualTo(1);
    }

    @Test
    void aLargeFieldIsNotPromotedHoweverOftenItChanges() {
        Counts totals = after(Counts.empty(), 100, Map.of("body", new long[]{100, 5000}));
        assertThat(CollectionState.initial().decide(totals, SETTINGS, CONFIGURED, 1).orElseThrow().learned()).isEmpty();
    }

    @Test
    void aLearnedFieldGoesBackOnlyAfterEnoughQuietWindowsInARow() {
        Counts totals = after(Counts.empty(), 100, Map.of("status", new long[]{100, 2}));
        CollectionState state = CollectionState.initial().decide(totals, SETTINGS, CONFIGURED, 1).orElseThrow();
        for (int quiet = 1; quiet < SETTINGS.demoteAfterWindows(); quiet++) {
            totals = after(totals, 100, Map.of("status", new long[]{0, 2}));
            state = state.decide(totals, SETTINGS, CONFIGURED, 2).orElseThrow();
            assertThat(state.learned()).as("after %d quiet windows", quiet).containsKey("status");
        }
        Counts burst = after(totals, 100, Map.of("status", new long[]{1, 2}));
        CollectionState kept = state.decide(burst, SETTINGS, CONFIGURED, 3).orElseThrow();
        assertThat(kept.learned().get("status").quietWindows()).as("one change resets the count").isZero();
        assertThat(kept.learned().get("status").since()).isEqualTo(1);

        Counts quietAgain = after(totals, 100, Map.of("status", new long[]{0, 2}));
        assertThat(state.decide(quietAgain, SETTINGS, CONFIGURED, 4).orElseThrow().learned()).isEmpty();
    }

    @Test
    void aFieldChangingInLessThanTheRatioStaysCold() {
        Counts totals = after(Counts.empty(), 100, Map.of("sometimes", new long[]{49, 2}));
        assertThat(CollectionState.initial().decide(totals, SETTINGS, CONFIGURED, 1).orElseThrow().learned()).isEmpty();
    }

    @Test
    void overridesPinAndForbidAndConfiguredFieldsAreNotLearnedAgain() {
        Counts totals = after(Counts.empty(), 100, Map.of("like_count", new long[]{100, 2}, "secret",
                new long[]{100, 2}));
        CollectionState overridden = CollectionState.initial().withOverrides(List.of("pinned"),
                List.of("secret"));
        CollectionState next = overridden.decide(totals, SETTINGS, CONFIGURED, 1).orElseThrow();
        assertThat(next.learned()).isEmpty();
        assertThat(next.hotSet(CONFIGURED)).containsExactlyInAnyOrder("like_count", "pinned");
    }

    @Test
    void totalsOfTwoGatewaysAddUpAndAWindowIsTheirDifference() {
        Counts a = after(Counts.empty(), 60, Map.of("status", new long[]{60, 2}));
        Counts b = after(Counts.empty(), 40, Map.of("status", new long[]{30, 4}));
        Counts sum = a.plus(b);
        assertThat(sum.overwrites()).isEqualTo(100);
        assertThat(sum.changes("status")).isEqualTo(90);
        assertThat(sum.meanSize("status")).isEqualTo((60 * 2 + 40 * 4) / 100.0);
        assertThat(sum.minus(a).changes("status")).isEqualTo(30);
        assertThat(Optional.of(sum.minus(sum).overwrites())).contains(0L);
    }

    @Test
    void aKeysCollectionIsItsPrefixUpToTheLastSeparatorOrItsBucket() {
        assertThat(SETTINGS.collectionOf("user:42")).isEqualTo("user");
        assertThat(SETTINGS.collectionOf("tenant:7:user:42")).isEqualTo("tenant:7:user");
        assertThat(SETTINGS.collectionOf("photos/2026/cat.json")).isEqualTo("photos");
        assertThat(SETTINGS.collectionOf("lonely")).isEqualTo("_");
        assertThat(SETTINGS.collectionOf(":odd")).isEqualTo("_");
    }
}
