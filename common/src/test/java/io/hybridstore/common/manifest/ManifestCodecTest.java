package io.hybridstore.common.manifest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestCodecTest {

    private static Manifest replicated(String version, String... nodes) {
        List<Replica> replicas = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            replicas.add(new Replica(nodes[i], version + ".data." + i, 0xFFFF_FFFFL - i));
        }
        return new Manifest("k/1", version, Strategy.REPLICATION, "application/json", 10, "ab", 1L,
                new ReplicatedPart(10, "ab", replicas), null, null);
    }

    @Test
    void roundTripsThroughJsonWithUnsignedCrcs() {
        Manifest manifest = replicated("v1", "n1", "n2", "n3");
        assertThat(ManifestCodec.fromJson(ManifestCodec.toJson(manifest))).isEqualTo(manifest);
    }

    @Test
    void ignoresFieldsWrittenByNewerVersions() {
        String json = new String(ManifestCodec.toJson(replicated("v1", "n1")))
                .replaceFirst("\\{", "{\"someFutureField\":[1,2],");
        assertThat(ManifestCodec.fromJson(json.getBytes()).version()).isEqualTo("v1");
    }

    @Test
    void displacedBlobsAreThoseTheSuccessorDoesNotReuse() {
        Manifest old = replicated("v1", "n1", "n2", "n3");
        Manifest successor = replicated("v2", "n1", "n2", "n3");
        assertThat(old.blobsNotIn(successor)).containsExactlyElementsOf(old.blobs());
        assertThat(old.blobsNotIn(old)).isEmpty();
    }

    @Test
    void everyBlobComesWithTheCrcItsManifestRecorded() {
        Manifest manifest = replicated("v1", "n1", "n2");
        assertThat(manifest.blobCrc32cs()).containsExactly(
                Map.entry(new BlobRef("n1", "v1.data.0"), 0xFFFF_FFFFL),
                Map.entry(new BlobRef("n2", "v1.data.1"), 0xFFFF_FFFEL));
    }
}
