package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bit rot on the storage nodes' disks: bytes of stored blobs are flipped in the segment files, behind the nodes'
 * backs. Every read must still return exactly what was written, because a blob whose CRC32C does not match is
 * treated as missing and read around.
 */
class DiskCorruptionTest {

    private final LocalCluster cluster = LocalCluster.get();
    private final Api api = new Api(cluster.gatewayUrl());

    @Test
    void readSurvivesTwoCorruptShards() {
        String marker = "MARKER-" + UUID.randomUUID();
        String key = "e2e/corruption/ec";
        // About 4,000 bytes: shards of ~1,000; the markers sit inside shard 0 and shard 2.
        String value = "{\"a\":\"" + marker + "\",\"p\":\"" + "x".repeat(2400) + "\",\"b\":\"" + marker.toLowerCase()
                + "\",\"q\":\"" + "y".repeat(1500) + "\"}";
        assertThat(api.write(key, "ec", value).status()).isEqualTo(200);

        List<Path> corrupted = new ArrayList<>();
        corrupted.addAll(flipFirstOccurrence(marker));
        corrupted.addAll(flipFirstOccurrence(marker.toLowerCase()));
        assertThat(corrupted).as("the two data shards holding the markers").hasSize(2);

        Api.Response read = api.read(key);
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.text()).isEqualTo(value);
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @Test
    void readSurvivesTwoCorruptReplicas() {
        String marker = "MARKER-" + UUID.randomUUID();
        String key = "e2e/corruption/replication";
        String value = "{\"a\":\"" + marker + "\"}";
        assertThat(api.write(key, "replication", value).status()).isEqualTo(200);

        assertThat(flipFirstOccurrence(marker)).hasSize(1);
        assertThat(flipFirstOccurrence(marker)).hasSize(1);

        for (int i = 0; i < 5; i++) {
            Api.Response read = api.read(key);
            assertThat(read.status()).as(read.text()).isEqualTo(200);
            assertThat(read.text()).isEqualTo(value);
        }
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    /** Flips one byte of {@code text} in the first segment file (of any node) that still holds it intact. */
    private List<Path> flipFirstOccurrence(String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        for (int n = 1; n <= 6; n++) {
            try (Stream<Path> files = Files.walk(cluster.dataDir("storage-node-" + n))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    byte[] content = Files.readAllBytes(file);
                    int at = indexOf(content, needle);
                    if (at >= 0) {
                        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                            channel.write(ByteBuffer.wrap(new byte[]{(byte) (content[at] ^ 0x20)}), at);
                            channel.force(true);
                        }
                        return List.of(file);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.of();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        return IntStream.rangeClosed(0, haystack.length - needle.length)
                .filter(i -> {
                    for (int j = 0; j < needle.length; j++) {
                        if (haystack[i + j] != needle[j]) {
                            return false;
                        }
                    }
                    return true;
                })
                .findFirst().orElse(-1);
    }
}
