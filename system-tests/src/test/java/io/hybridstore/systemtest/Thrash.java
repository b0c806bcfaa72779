package io.hybridstore.systemtest;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every repair path at once on the same few objects: the leader's scrub cycles and full passes run back to back
 * while blobs are deleted on the nodes and the objects are read (each degraded read sends the leader a repair
 * hint). One blob per object is missing at a time, which every object survives; so a read that fails, or a blob the
 * manifest references going missing when the thrash did not delete it, is a repair that undid another's work.
 */
final class Thrash {

    /** What the thrash saw; {@code anomalies} name the object and what was wrong. */
    record Result(int deletions, int reads, int scrubs, int passes, List<String> badReads, List<String> anomalies) {
    }

    private final HealerTestCluster cluster;
    private final ClusterAudit audit;
    private final History history;

    Thrash(HealerTestCluster cluster, ClusterAudit audit, History history) {
        this.cluster = cluster;
        this.audit = audit;
        this.history = history;
    }

    Result run(Map<String, byte[]> objects, Duration length, Random random) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger scrubs = new AtomicInteger();
        AtomicInteger passes = new AtomicInteger();
        List<String> badReads = Collections.synchronizedList(new ArrayList<>());
        List<String> anomalies = new ArrayList<>();
        Map<String, String> outstanding = new HashMap<>();
        int deletions = 0;
        int reads = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> scrubber = pool.submit(() -> {
                while (running.get()) {
                    cluster.fullScrub();
                    scrubs.incrementAndGet();
                }
                return null;
            });
            Future<?> scanner = pool.submit(() -> {
                while (running.get()) {
                    cluster.fullPass();
                    passes.incrementAndGet();
                }
                return null;
            });
            Instant end = Instant.now().plus(length);
            try {
                while (Instant.now().isBefore(end)) {
                    Map<String, List<String>> degraded = degradedOf(objects.keySet());
                    Map<String, String> current = new HashMap<>();
                    audit.manifests().forEach(m -> current.put(m.path("key").asString(), m.toString()));
                    for (String key : objects.keySet()) {
                        List<String> found = degraded.getOrDefault(key, List.of());
                        String deleted = outstanding.get(key);
                        List<String> confirmed = found.stream()
                                .filter(d -> deleted == null || !d.contains(deleted))
                                .filter(d -> stillReferenced(d, current.getOrDefault(key, ""))).toList();
                        if (!confirmed.isEmpty()) {
                            anomalies.add(key + " degraded beyond the thrash's deletion " + deleted + ": " + confirmed);
                        }
                        if (found.isEmpty()) {
                            outstanding.remove(key);
                        }
                    }
                    for (JsonNode manifest : audit.manifests()) {
                        String key = manifest.path("key").asString();
                        if (objects.containsKey(key) && !outstanding.containsKey(key)) {
                            List<JsonNode> blobs = blobsOf(manifest);
                            JsonNode victim = blobs.get(random.nextInt(blobs.size()));
                            String node = victim.path("node").asString();
                            String blob = victim.path("blob").asString();
                            cluster.deleteBlob(Integer.parseInt(node.substring(node.lastIndexOf('-') + 1)), blob);
                            history.record(Map.of("fault", "thrash: blob deleted", "key", key, "node", node, "blob", blob));
                            outstanding.put(key, blob);
                            deletions++;
                        }
                    }
                    for (var object : objects.entrySet()) {
                        Api.Response read = cluster.api.read(object.getKey());
                        reads++;
                        if (read.status() != 200 || !Arrays.equals(read.body(), object.getValue())) {
                            badReads.add(object.getKey() + ": " + read.status() + " "
                                    + (read.status() == 200 ? read.body().length + " bytes" : read.text()));
                        }
                    }
                }
            } finally {
                running.set(false);
            }
            scrubber.get();
            scanner.get();
        }
        return new Result(deletions, reads, scrubs.get(), passes.get(), badReads, anomalies);
    }

    private static final java.util.regex.Pattern BLOB_VERDICT =
            java.util.regex.Pattern.compile(": (\\S+) on storage-node-\\d+ is \\w+$");

    /**
     * Whether a degraded entry still holds once the snapshot is done: a missing or damaged blob counts only if the
     * manifest read after the listing still references it (a repair may have replaced it in between, legitimately);
     * any other entry is about the manifest itself.
     */
    private static boolean stillReferenced(String entry, String manifest) {
        java.util.regex.Matcher blob = BLOB_VERDICT.matcher(entry);
        return !blob.find() || manifest.contains("\"" + blob.group(1) + "\"");
    }

    /** The degraded entries of the given objects, by key. */
    Map<String, List<String>> degradedOf(java.util.Set<String> keys) {
        Map<String, List<String>> byKey = new HashMap<>();
        for (String entry : audit.snapshot().degraded()) {
            String key = entry.substring(0, entry.indexOf(": "));
            if (keys.contains(key)) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(entry);
            }
        }
        return byKey;
    }

    private static List<JsonNode> blobsOf(JsonNode manifest) {
        List<JsonNode> blobs = new ArrayList<>();
        JsonNode replicated = manifest.path("replicated");
        if (!replicated.isMissingNode() && !replicated.isNull()) {
            replicated.path("replicas").forEach(blobs::add);
        }
        JsonNode coded = manifest.path("erasureCoded");
        if (!coded.isMissingNode() && !coded.isNull()) {
            coded.path("stripes").forEach(stripe -> stripe.path("shards").forEach(blobs::add));
        }
        return blobs;
    }
}
