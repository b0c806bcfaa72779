package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A damaged record header in a sealed segment, then compaction, then a restart: the blobs recorded after the
 * damage survive both, the one whose header was hit is reported missing (not served, not hung on), every object
 * still reads back, and the healer restores full redundancy.
 */
class DamagedSegmentTest {

    /** Record layout per storage-node's RecordFormat: magic u32, type u8, seq u64, createdAt u64, idLength u16,
     * dataLength u32, data CRC u32, header CRC u32, then the id (covered by the header CRC) and the data. */
    private static final int RECORD_HEADER = 35;
    private static final int RECORD_MAGIC = 0x48534231;
    private static final int OBJECTS = 12;

    private final HealerTestCluster healer = new HealerTestCluster();
    private final Api api = healer.api;

    @Test
    void damagedHeaderThenCompactionAndRestartLosesNoObjectAndIsRepaired() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < OBJECTS; i++) {
            String key = "damaged-segment/object-" + i;
            values.put(key, Values.large(6_000, 700 + i));
            Api.Response response = api.write(key, i % 2 == 0 ? "replication" : "ec", values.get(key));
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            versions.add(response.json().path("version").asString());
        }
        int victim = healer.blobsOf(versions.getFirst()).keySet().iterator().next();
        String node = "storage-node-" + victim;
        // An orderly restart seals the segments the node was writing, so compaction may rewrite them. The healer
        // may have repaired around the node while it was down; one pass settles that before the damage.
        healer.cluster.stop(node);
        List<Path> sealed = segments(victim);
        healer.cluster.start(node);
        healer.fullPass();

        Damage damage = damageOneLiveRecordHeader(victim, versions, sealed);
        String blob = damage.blob();
        Path damaged = damage.segment();
        Api.Response compaction = healer.node(victim).post("/compact", null, new byte[0]);
        assertThat(compaction.status()).as(compaction.text()).isEqualTo(200);
        JsonNode result = findSegment(compaction.json(), damaged.getFileName().toString());
        assertThat(result.path("skippedBytes").asLong()).as(compaction.text()).isPositive();
        assertThat(result.path("oldKept").asBoolean()).as("the blob with the damaged header is still served from"
                + " the old segment: %s", compaction.text()).isTrue();
        assertThat(healer.check(victim, List.of(blob))).containsValue("intact");

        healer.cluster.kill(node);
        healer.cluster.start(node);

        assertThat(healer.check(victim, List.of(blob)))
                .as("after the restart recovery cannot find the damaged record").containsValue("missing");
        values.forEach(this::assertReads);
        healer.fullPass();
        for (int i = 0; i < OBJECTS; i++) {
            healer.awaitFullyRedundant(versions.get(i), i % 2 == 0 ? 3 : 6);
        }
        values.forEach(this::assertReads);
    }

    private void assertReads(String key, String value) {
        Api.Response read = api.read(key);
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.text()).isEqualTo(value);
    }

    private static JsonNode findSegment(JsonNode compaction, String segment) {
        for (JsonNode result : compaction.path("segments")) {
            if (result.path("segment").asString().equals(segment)) {
                return result;
            }
        }
        throw new AssertionError("compaction did not touch " + segment + ": " + compaction);
    }

    private record Damage(String blob, Path segment) {
    }

    private List<Path> segments(int node) throws IOException {
        try (Stream<Path> files = Files.list(healer.cluster.dataDir("storage-node-" + node))) {
            return files.filter(p -> p.getFileName().toString().matches("segment-\\d+\\.log")).sorted().toList();
        }
    }

    /**
     * Flips the last byte of a blob's id in its put record header, so the header CRC no longer verifies: a blob the
     * node holds now, whose only put record is in one of the {@code sealed} segments (a copy written since, as a
     * repair would, would make the damaged record garbage).
     */
    private Damage damageOneLiveRecordHeader(int node, List<String> versions, List<Path> sealed) throws IOException {
        List<Path> all = segments(node);
        for (String version : versions) {
            for (String blob : healer.blobsOf(version).getOrDefault(node, List.of())) {
                byte[] needle = blob.getBytes(StandardCharsets.US_ASCII);
                List<Map.Entry<Path, Integer>> records = new ArrayList<>();
                for (Path segment : all) {
                    byte[] content = Files.readAllBytes(segment);
                    putRecordsOf(content, needle).forEach(at -> records.add(Map.entry(segment, at)));
                }
                if (records.size() == 1 && sealed.contains(records.getFirst().getKey())) {
                    Path segment = records.getFirst().getKey();
                    int last = records.getFirst().getValue() + needle.length - 1;
                    byte[] content = Files.readAllBytes(segment);
                    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                        channel.write(ByteBuffer.wrap(new byte[] {(byte) (content[last] ^ 0x01)}), last);
                        channel.force(true);
                    }
                    return new Damage(blob, segment);
                }
            }
        }
        throw new AssertionError("no blob of these versions on storage-node-" + node + " with one put record in a"
                + " sealed segment");
    }

    /** Offsets of the id in the put record headers of {@code needle} in a segment's content. */
    private static List<Integer> putRecordsOf(byte[] content, byte[] needle) {
        List<Integer> found = new ArrayList<>();
        ByteBuffer view = ByteBuffer.wrap(content);
        for (int at = RECORD_HEADER; at + needle.length <= content.length; at++) {
            int record = at - RECORD_HEADER;
            if (Arrays.equals(content, at, at + needle.length, needle, 0, needle.length)
                    && view.getInt(record) == RECORD_MAGIC && content[record + 4] == 1
                    && view.getShort(record + 21) == needle.length) {
                found.add(at);
            }
        }
        return found;
    }
}
