package io.hybridstore.healer.gc;

import io.hybridstore.common.manifest.BlobRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GarbageRuleTest {

    private static final Duration GRACE = Duration.ofMinutes(5);
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final BlobRef BLOB = new BlobRef("n1", "b");

    private final GarbageRule rule = new GarbageRule(GRACE);

    @Test
    void aBlobIsGarbageOnlyWhenSeenUnreferencedInRunsTheGraceApart() {
        assertThat(run(BLOB, Set.of(), T0)).isFalse();
        assertThat(run(BLOB, Set.of(), T0.plus(GRACE).minusMillis(1))).isFalse();
        assertThat(run(BLOB, Set.of(), T0.plus(GRACE))).isTrue();
    }

    @Test
    void withNoGraceItStillTakesTwoRuns() {
        GarbageRule noGrace = new GarbageRule(Duration.ZERO);
        noGrace.beginRun();
        assertThat(noGrace.isGarbage(BLOB, Set.of(), Set.of(), T0)).isFalse();
        noGrace.endRun();
        noGrace.beginRun();
        assertThat(noGrace.isGarbage(BLOB, Set.of(), Set.of(), T0)).isTrue();
    }

    @Test
    void aBlobReferencedInBetweenStartsOver() {
        run(BLOB, Set.of(), T0);
        assertThat(run(BLOB, Set.of(BLOB), T0.plus(GRACE))).isFalse();
        assertThat(run(BLOB, Set.of(), T0.plus(GRACE).plusSeconds(1))).isFalse();
        assertThat(run(BLOB, Set.of(), T0.plus(GRACE).plus(GRACE).plusSeconds(1))).isTrue();
    }

    @Test
    void aBlobAnOpenIntentNamesIsKept() {
        rule.beginRun();
        rule.isGarbage(BLOB, Set.of(), Set.of(), T0);
        rule.endRun();
        rule.beginRun();
        assertThat(rule.isGarbage(BLOB, Set.of(), Set.of(BLOB), T0.plus(GRACE))).isFalse();
    }

    @Test
    void sameIdOnAnotherNodeThanTheManifestSaysIsWatchedOnItsOwn() {
        BlobRef elsewhere = new BlobRef("n2", "b");
        run(elsewhere, Set.of(BLOB), T0);
        assertThat(run(elsewhere, Set.of(BLOB), T0.plus(GRACE))).isTrue();
    }

    private boolean run(BlobRef ref, Set<BlobRef> referenced, Instant at) {
        rule.beginRun();
        boolean garbage = rule.isGarbage(ref, referenced, Set.of(), at);
        rule.endRun();
        return garbage;
    }
}
