package io.hybridstore.common.manifest;

import io.hybridstore.common.json.FieldPrint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestCodecTest {

    private static Manifest replicated(String version, String... nodes) {
        List<Replica> replicas = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            replicas.add(new Replica(nodes[i], version + ".data." + i, 0xFFFF_FFFFL - i));
        }
        return new Manifest("k/1", version, Strategy.REPLICATION, "application/json", 10, "ab", 1L,
                new ReplicatedPart(10, "ab", replicas), null, null);
    }

    private static Manifest erasureCoded(Strategy strategy, ReplicatedPart hot, List<String> fieldOrder) {
        List<Shard> shards = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            shards.add(new Shard(i, "storage-node-" + (i + 1), "v2.cold.0." + i, 4_000_000_000L + i));
        }
        return new Manifest("b/ä \"x\"", "v2", strategy, "application/json", 5000, "cd", 1796238083976L, hot,
                new ErasureCodedPart(4, 2, 5000, null, List.of(new Stripe(5000, 1250, shards))), fieldOrder);
    }

    static List<Manifest> manifests() {
        ReplicatedPart hot = new ReplicatedPart(12, "ef", List.of(new Replica("storage-node-2", "v2.hot.0", 7)));
        return List.of(
                replicated("v1", "n1", "n2", "n3"),
                erasureCoded(Strategy.EC, null, null),
                erasureCoded(Strategy.FIELD_HYBRID, hot, List.of("count", "description", "ünï\u0001")),
                replicated("v3", "n1").withParts(null, null),
                new Manifest("b/k", "v4", Strategy.EC, "text/plain", 0, "00", 2L, null,
                        new ErasureCodedPart(4, 2, 0, "00", List.of()), null,
                        new ObjectAttributes("abc-2", Map.of("owner", "ann", "x", "\"quoted\""),
                                Map.of("cache-control", "no-cache"), List.of(5_242_880L, 17L))),
                new Manifest("b/h", "v6", Strategy.FIELD_HYBRID, "application/json", 5011, null, 4L, hot,
                        erasureCoded(Strategy.FIELD_HYBRID, null, null).erasureCoded(), List.of("count", "text"), null,
                        List.of(new FieldPrint(true, 2, 0x0123_4567_89ab_cdefL), new FieldPrint(false, 4999, -1L))),
                new Manifest("b/e", "v5", Strategy.REPLICATION, "application/octet-stream", 3, "11", 3L,
                        new ReplicatedPart(3, "11", List.of(new Replica("n1", "v5.data.0", 1))), null, null,
                        new ObjectAttributes("abc", Map.of(), Map.of())));
    }

    /**
     * Manifests already in etcd were written by Jackson's data binding of these records: the hand-written codec
     * must write exactly that JSON and read it back, so stored and new manifests are one format.
     */
    @ParameterizedTest
    @MethodSource("manifests")
    void writesAndReadsTheJsonThatDataBindingOfTheRecordsDoes(Manifest manifest) {
        JsonMapper binding = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        byte[] bound = binding.writeValueAsBytes(manifest);

        assertThat(new String(ManifestCodec.toJson(manifest))).isEqualTo(new String(bound));
        assertThat(ManifestCodec.fromJson(bound)).isEqualTo(manifest);
        assertThat(binding.readValue(ManifestCodec.toJson(manifest), Manifest.class)).isEqualTo(manifest);
    }

    @Test
    void refusesWhatIsNoManifest() {
        assertThatThrownBy(() -> ManifestCodec.fromJson("[1]".getBytes()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unreadable manifest");
        assertThatThrownBy(() -> ManifestCodec.fromJson("{\"key\":\"k\",\"strategy\":\"raid5\"}".getBytes()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("raid5");
        assertThatThrownBy(() -> ManifestCodec.fromJson("{\"key\":".getBytes()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unreadable manifest");
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
        String nested = new String(ManifestCodec.toJson(replicated("v1", "n1")))
                .replace("\"crc32c\"", "\"future\":{\"a\":[{}]},\"crc32c\"");
        assertThat(ManifestCodec.fromJson(nested.getBytes())).isEqualTo(replicated("v1", "n1"));
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
