package io.hybridstore.healer.gc;

import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.node.BlobStat;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GarbageRuleTest {

    private static final long CUTOFF = 100_000;

    @Test
    void oldUnreferencedBlobIsGarbage() {
        assertThat(GarbageRule.isGarbage("n1", blob("b", 1_000), Set.of(), Set.of(), CUTOFF)).isTrue();
    }

    @Test
    void blobYoungerThanTheCutoffIsKept() {
        assertThat(GarbageRule.isGarbage("n1", blob("b", 100_001), Set.of(), Set.of(), CUTOFF)).isFalse();
    }

    @Test
    void blobWithUnknownAgeIsKept() {
        assertThat(GarbageRule.isGarbage("n1", blob("b", 0), Set.of(), Set.of(), CUTOFF)).isFalse();
    }

    @Test
    void blobReferencedByAManifestOrAnOpenIntentIsKept() {
        assertThat(GarbageRule.isGarbage("n1", blob("b", 1), Set.of(new BlobRef("n1", "b")), Set.of(), CUTOFF)).isFalse();
        assertThat(GarbageRule.isGarbage("n1", blob("b", 1), Set.of(), Set.of(new BlobRef("n1", "b")), CUTOFF)).isFalse();
    }

    @Test
    void sameIdOnAnotherNodeThanTheManifestSaysIsGarbage() {
        assertThat(GarbageRule.isGarbage("n2", blob("b", 1), Set.of(new BlobRef("n1", "b")), Set.of(), CUTOFF)).isTrue();
    }

    private static BlobStat blob(String id, long createdAt) {
        return new BlobStat(id, 10, 0, createdAt);
    }
}
