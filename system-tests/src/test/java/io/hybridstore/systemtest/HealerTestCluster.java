package io.hybridstore.systemtest;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the healer tests need beyond the public API: the healers' and storage nodes' own endpoints, blobs found by
 * the version id they start with, damage done on disk, and records put straight into the intent log.
 */
final class HealerTestCluster {

    static final int NODES = 6;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    final LocalCluster cluster = LocalCluster.get();
    final Api api = new Api(cluster.gatewayUrl());

    Api healer(int n) {
        return cluster.internal(cluster.healerUrl(n));
    }

    Api node(int n) {
        return cluster.internal(cluster.storageNodeUrl(n));
    }

    /** The healer that says it leads, waiting for an election if need be. */
    int leader() {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            for (int n = 1; n <= 2; n++) {
                try {
                    if ("leader".equals(healer(n).get("/status").json().path("role").asString())) {
                        return n;
                    }
                } catch (IllegalStateException unreachable) {
                    // that healer is down; ask the other
                }
            }
            sleep(200);
        }
        throw new AssertionError("no healer became leader within 30 s");
    }

    /** The leader's {@code GET /status}. */
    JsonNode status() {
        return healer(leader()).get("/status").json();
    }

    /** Asks the leader for a full pass (hints, repair, garbage collection) and waits until one has finished. */
    JsonNode fullPass() {
        return onLeader("/scan", Duration.ofSeconds(90), "full healer pass");
    }

    /** Asks the leader for a scrub cycle (every blob read and verified on its node) and waits until one has finished. */
    JsonNode fullScrub() {
        return onLeader("/scrub", Duration.ofSeconds(150), "scrub cycle");
    }

    /** POSTs to the leader, again after a leader change, until it answers 200 with the counters. */
    private JsonNode onLeader(String path, Duration wait, String what) {
        Duration patience = wait.plusSeconds(30);
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            Api.Response response;
            try {
                response = healer(leader()).post(path + "?wait=" + wait, null, new byte[0]);
            } catch (IllegalStateException unreachable) {
                sleep(200);
                continue;
            }
            if (response.status() == 200) {
                return response.json();
            }
            sleep(200);
        }
        throw new AssertionError("no " + what + " finished within " + patience.toSeconds() + " s");
    }

    /** node number → ids of the blobs on it whose id starts with {@code version + "."}; stopped nodes are skipped. */
    Map<Integer, List<String>> blobsOf(String version) {
        Map<Integer, List<String>> found = new LinkedHashMap<>();
        for (int n = 1; n <= NODES; n++) {
            List<String> ids = new ArrayList<>(lengthsOf(n, version).keySet());
            if (!ids.isEmpty()) {
                found.put(n, ids);
            }
        }
        return found;
    }

    /**
     * Bytes the nodes hold in blobs of these versions: what a test of one key's storage compares, where the
     * cluster-wide usage would also count what the healer collects or repairs of other tests' objects meanwhile.
     */
    long bytesOf(Collection<String> versions) {
        long bytes = 0;
        for (String version : versions) {
            for (int n = 1; n <= NODES; n++) {
                bytes += lengthsOf(n, version).values().stream().mapToLong(Long::longValue).sum();
            }
        }
        return bytes;
    }

    /**
     * {@link #bytesOf} once it is {@code expected}, else as it is after 10 s: an overwrite's displaced blobs are
     * deleted shortly after its answer ({@code hybridstore.gateway.discard.delay}), not before it.
     */
    long bytesOnceAt(Collection<String> versions, long expected) {
        poll(Duration.ofSeconds(10), () -> bytesOf(versions) == expected);
        return bytesOf(versions);
    }

    /** id → length of the blobs on the node whose id starts with {@code version + "."}; none when it is stopped. */
    private Map<String, Long> lengthsOf(int node, String version) {
        JsonNode listing;
        try {
            listing = node(node).get("/blobs?limit=1000&after=" + Api.encode(version)).json();
        } catch (IllegalStateException unreachable) {
            return Map.of();
        }
        Map<String, Long> lengths = new LinkedHashMap<>();
        for (JsonNode blob : listing.path("blobs")) {
            String id = blob.path("id").asString();
            if (!id.startsWith(version + ".")) {
                break;
            }
            lengths.put(id, blob.path("length").asLong());
        }
        return lengths;
    }

    /** The node's verdict per blob id: intact, missing or corrupt. */
    Map<String, String> check(int node, List<String> ids) {
        byte[] body = JSON.writeValueAsBytes(Map.of("ids", ids));
        JsonNode answer = node(node).post("/blobs/check", "application/json", body).json();
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (String verdict : List.of("intact", "missing", "corrupt")) {
            answer.path(verdict).forEach(id -> verdicts.put(id.asString(), verdict));
        }
        return verdicts;
    }

    /**
     * Asserts that the version is stored exactly {@code expected} times — one blob per replica or shard, on
     * distinct nodes per part, each intact per the node's own check — with no leftover copy anywhere.
     */
    void assertFullyRedundant(String version, int expected) {
        Map<Integer, List<String>> blobs = blobsOf(version);
        int total = 0;
        for (var entry : blobs.entrySet()) {
            total += entry.getValue().size();
            assertThat(check(entry.getKey(), entry.getValue()).values()).as("node %d: %s", entry.getKey(), entry.getValue())
                    .containsOnly("intact");
        }
        assertThat(total).as("blobs of %s: %s", version, blobs).isEqualTo(expected);
    }

    /**
     * {@link #assertFullyRedundant} once garbage collection has removed what a repair left referenced by nothing (a
     * copy a killed or losing repair attempt wrote under its own id, the copy a repair replaced on a node that came
     * back): collected once seen unreferenced gc.grace (20 s here) apart.
     */
    void awaitFullyRedundant(String version, int expected) {
        await(Duration.ofMinutes(2), "only " + expected + " blobs of " + version + " left",
                () -> blobsOf(version).values().stream().mapToInt(List::size).sum() == expected);
        assertFullyRedundant(version, expected);
    }

    void deleteBlob(int node, String id) {
        Api.Response response = node(node).call("DELETE", "/blobs/" + id, null, null);
        assertThat(response.status()).as(response.text()).isIn(200, 204);
    }

    void putBlob(int node, String id, byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        Api.Response response = node(node).call("PUT", "/blobs/" + id, "application/octet-stream", data,
                "X-Checksum-CRC32C", Long.toString(crc.getValue()));
        assertThat(response.status()).as(response.text()).isIn(200, 201);
    }

    /**
     * Flips a byte inside the blob's data in the node's segment files, as bit rot would. The node then finds the
     * blob corrupt on its next read.
     */
    void corruptOnDisk(int node, String id) throws IOException {
        corruptOnDisk(node, id, new Random(id.hashCode()));
    }

    /**
     * Flips one random byte of the blob's data on disk. Records are laid out as storage-node RecordFormat says:
     * magic u32, type u8, seq u64, createdAt u64, idLength u16, dataLength u32, two CRCs u32, id, data; the header
     * around an occurrence of the id is checked, so a longer id that merely starts with this one is not hit.
     */
    void corruptOnDisk(int node, String id, Random random) throws IOException {
        byte[] needle = id.getBytes(StandardCharsets.US_ASCII);
        try (Stream<Path> files = Files.list(cluster.dataDir("storage-node-" + node))) {
            for (Path segment : files.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList().reversed()) {
                byte[] content = Files.readAllBytes(segment);
                for (int at = lastIndexOf(content, needle, content.length); at >= 0; at = lastIndexOf(content, needle, at - 1)) {
                    int record = at - RECORD_HEADER;
                    if (record < 0) {
                        continue;
                    }
                    ByteBuffer header = ByteBuffer.wrap(content, record, RECORD_HEADER);
                    if (header.getInt(record) != RECORD_MAGIC || content[record + 4] != 1
                            || header.getShort(record + 21) != needle.length) {
                        continue;
                    }
                    int dataLength = header.getInt(record + 23);
                    if (dataLength <= 0) {
                        continue;
                    }
                    long position = (long) at + needle.length + random.nextInt(dataLength);
                    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
                        file.seek(position);
                        int b = file.read();
                        file.seek(position);
                        file.write(b ^ (1 + random.nextInt(255)));
                        file.getFD().sync();
                    }
                    return;
                }
            }
        }
        throw new AssertionError("blob " + id + " not found on disk of storage-node-" + node);
    }

    private static final int RECORD_MAGIC = 0x48534231;
    private static final int RECORD_HEADER = 4 + 1 + 8 + 8 + 2 + 4 + 4 + 4;

    private static int lastIndexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.min(from, haystack.length - needle.length); i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Appends a raw record to the intent log, as a gateway would (acks=all, keyed by object key). */
    void appendToLog(String key, String json) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("hybridstore-wal", key, json)).get();
        }
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) {
        if (!poll(timeout, condition)) {
            throw new AssertionError(what + " did not happen within " + timeout);
        }
    }

    /** Whether the condition became true within the timeout. */
    static boolean poll(Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            sleep(250);
        }
        return true;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
