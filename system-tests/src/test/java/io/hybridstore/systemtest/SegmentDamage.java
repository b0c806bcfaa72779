package io.hybridstore.systemtest;

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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Damage to a storage node's segment files as a failing disk would do it: one record header whose CRC no longer
 * verifies, so compaction cannot move its blob and recovery cannot find it.
 */
final class SegmentDamage {

    /** Record layout per storage-node's RecordFormat: magic u32, type u8, seq u64, createdAt u64, idLength u16,
     * dataLength u32, data CRC u32, header CRC u32, then the id (covered by the header CRC) and the data. */
    private static final int RECORD_HEADER = 35;
    private static final int RECORD_MAGIC = 0x48534231;

    /** A blob whose only put record now has a damaged header, and the segment holding it. */
    record Damage(String blob, Path segment) {
    }

    private final HealerTestCluster healer;

    SegmentDamage(HealerTestCluster healer) {
        this.healer = healer;
    }

    List<Path> segments(int node) throws IOException {
        try (Stream<Path> files = Files.list(healer.cluster.dataDir("storage-node-" + node))) {
            return files.filter(p -> p.getFileName().toString().matches("segment-\\d+\\.log")).sorted().toList();
        }
    }

    /**
     * Flips the last byte of a blob's id in its put record header, so the header CRC no longer verifies: a blob the
     * node holds now, whose only put record is in one of the {@code sealed} segments (a copy written since, as a
     * repair would, would make the damaged record garbage).
     */
    Damage damageOneLiveRecordHeader(int node, List<String> versions, List<Path> sealed) throws IOException {
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

    /** The result of {@code POST /compact} for one segment. */
    static JsonNode compactionOf(JsonNode compaction, String segment) {
        for (JsonNode result : compaction.path("segments")) {
            if (result.path("segment").asString().equals(segment)) {
                return result;
            }
        }
        throw new AssertionError("compaction did not touch " + segment + ": " + compaction);
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
