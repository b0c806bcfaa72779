package io.hybridstore.systemtest;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The whole cluster's state seen from outside, as an operator would check it: every manifest in etcd (through
 * etcd's JSON gateway), every blob every storage node lists, each referenced blob's own CRC verdict, and the
 * intent log read from its start.
 */
final class ClusterAudit {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String OBJECTS = "/hybridstore/objects/";

    private final HealerTestCluster cluster;

    ClusterAudit(HealerTestCluster cluster) {
        this.cluster = cluster;
    }

    /** A blob a node lists. */
    record StoredBlob(int node, String id, long length) {
    }

    /**
     * One look at the cluster. {@code degraded} names each object that is not stored with all its replicas and
     * shards, intact, on distinct nodes; {@code orphans} are listed blobs no manifest references.
     */
    record Snapshot(Map<String, String> versions, List<String> degraded, List<StoredBlob> orphans,
                    long accountedBytes, int blobsReferenced, int blobsStored) {

        boolean fullyRedundant() {
            return degraded.isEmpty();
        }
    }

    Snapshot snapshot() {
        List<JsonNode> manifests = manifests();
        Map<Integer, Map<String, Long>> stored = new TreeMap<>();
        for (int n = 1; n <= HealerTestCluster.NODES; n++) {
            stored.put(n, listAll(n));
        }
        Map<Integer, Set<String>> referenced = new HashMap<>();
        Map<String, String> versions = new TreeMap<>();
        List<String> degraded = new ArrayList<>();
        long accounted = 0;
        int referencedCount = 0;
        Map<String, List<List<Ref>>> partsByKey = new LinkedHashMap<>();
        for (JsonNode manifest : manifests) {
            String key = manifest.path("key").asString();
            versions.put(key, manifest.path("version").asString());
            List<List<Ref>> parts = new ArrayList<>();
            JsonNode replicated = manifest.path("replicated");
            if (!replicated.isMissingNode() && !replicated.isNull()) {
                List<Ref> replicas = new ArrayList<>();
                replicated.path("replicas").forEach(r -> replicas.add(new Ref(r.path("node").asString(), r.path("blob").asString())));
                accounted += replicated.path("length").asLong() * replicas.size();
                parts.add(replicas);
                if (replicas.size() < 3) {
                    degraded.add(key + ": " + replicas.size() + " replicas");
                }
            }
            JsonNode coded = manifest.path("erasureCoded");
            if (!coded.isMissingNode() && !coded.isNull()) {
                int width = coded.path("k").asInt() + coded.path("m").asInt();
                for (JsonNode stripe : coded.path("stripes")) {
                    List<Ref> shards = new ArrayList<>();
                    stripe.path("shards").forEach(s -> shards.add(new Ref(s.path("node").asString(), s.path("blob").asString())));
                    accounted += stripe.path("shardSize").asLong() * shards.size();
                    parts.add(shards);
                    if (shards.size() < width) {
                        degraded.add(key + ": " + shards.size() + " of " + width + " shards");
                    }
                }
            }
            for (List<Ref> part : parts) {
                if (part.stream().map(Ref::node).distinct().count() < part.size()) {
                    degraded.add(key + ": two blobs of one part on one node " + part);
                }
                for (Ref ref : part) {
                    referenced.computeIfAbsent(ref.nodeNumber(), n -> new HashSet<>()).add(ref.blob());
                    referencedCount++;
                }
            }
            partsByKey.put(key, parts);
        }
        Map<Integer, Map<String, String>> verdicts = new HashMap<>();
        referenced.forEach((node, ids) -> verdicts.put(node, check(node, List.copyOf(ids))));
        partsByKey.forEach((key, parts) -> parts.stream().flatMap(List::stream).forEach(ref -> {
            String verdict = verdicts.getOrDefault(ref.nodeNumber(), Map.of()).getOrDefault(ref.blob(), "unchecked");
            if (!verdict.equals("intact")) {
                degraded.add(key + ": " + ref.blob() + " on " + ref.node() + " is " + verdict);
            }
        }));
        List<StoredBlob> orphans = new ArrayList<>();
        int storedCount = 0;
        for (var node : stored.entrySet()) {
            Set<String> wanted = referenced.getOrDefault(node.getKey(), Set.of());
            for (var blob : node.getValue().entrySet()) {
                storedCount++;
                if (!wanted.contains(blob.getKey())) {
                    orphans.add(new StoredBlob(node.getKey(), blob.getKey(), blob.getValue()));
                }
            }
        }
        return new Snapshot(versions, degraded, orphans, accounted, referencedCount, storedCount);
    }

    private record Ref(String node, String blob) {

        /** Nodes are registered as storage-node-N by the local cluster. */
        int nodeNumber() {
            return Integer.parseInt(node.substring(node.lastIndexOf('-') + 1));
        }
    }

    /** Every manifest under the objects prefix, read from etcd in one linearizable range request. */
    List<JsonNode> manifests() {
        Base64.Encoder b64 = Base64.getEncoder();
        byte[] end = OBJECTS.getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++;
        String body = JSON.writeValueAsString(Map.of(
                "key", b64.encodeToString(OBJECTS.getBytes(StandardCharsets.UTF_8)),
                "range_end", b64.encodeToString(end)));
        Api.Response response = new Api(cluster.cluster.etcdUrl())
                .post("/v3/kv/range", "application/json", body.getBytes(StandardCharsets.UTF_8));
        if (response.status() != 200) {
            throw new IllegalStateException("etcd range failed: " + response.status() + " " + response.text());
        }
        List<JsonNode> manifests = new ArrayList<>();
        for (JsonNode kv : response.json().path("kvs")) {
            manifests.add(JSON.readTree(Base64.getDecoder().decode(kv.path("value").asString())));
        }
        return manifests;
    }

    /** Every blob the node lists, id → length, following its pages. */
    Map<String, Long> listAll(int node) {
        Map<String, Long> blobs = new TreeMap<>();
        String after = null;
        do {
            JsonNode page = cluster.node(node).get("/blobs?limit=5000" + (after == null ? "" : "&after=" + Api.encode(after))).json();
            page.path("blobs").forEach(b -> blobs.put(b.path("id").asString(), b.path("length").asLong()));
            after = page.path("next").isNull() || page.path("next").isMissingNode() ? null : page.path("next").asString();
        } while (after != null);
        return blobs;
    }

    private Map<String, String> check(int node, List<String> ids) {
        Map<String, String> verdicts = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 5000) {
            verdicts.putAll(cluster.check(node, ids.subList(from, Math.min(ids.size(), from + 5000))));
        }
        return verdicts;
    }

    /** Bytes every node reports holding, summed by the gateway. */
    long storageUsage() {
        return cluster.api.get("/storage_usage").json().path("total_system_size").asLong();
    }

    /** Transaction ids of PENDING intents that no COMMITTED or ABORTED record has closed, reading the whole log. */
    Set<String> openIntents() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.cluster.kafkaBootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Set<String> open = new HashSet<>();
        Set<String> closed = new HashSet<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("hybridstore-wal", Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < ends.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    JsonNode intent = intentOf(record.value());
                    String txId = intent.path("txId").asString("");
                    if (txId.isEmpty()) {
                        // The suite's own malformed records: no intent of any write.
                        continue;
                    }
                    if (intent.path("type").asString().equals("PENDING")) {
                        open.add(txId);
                    } else {
                        closed.add(txId);
                    }
                }
            }
        }
        open.removeAll(closed);
        return open;
    }

    private static JsonNode intentOf(String value) {
        if (value == null) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(value);
        } catch (tools.jackson.core.JacksonException notJson) {
            return JSON.missingNode();
        }
    }
}
