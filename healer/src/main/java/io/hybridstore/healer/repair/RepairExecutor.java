package io.hybridstore.healer.repair;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.ErasureCodedPart;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.manifest.Shard;
import io.hybridstore.common.manifest.Stripe;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.common.node.NodeBlobs;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import io.hybridstore.erasure.ReedSolomon;
import io.hybridstore.healer.cluster.Pacer;
import io.hybridstore.healer.leadership.LeaderGate;
import io.hybridstore.healer.repair.RepairPlan.ReplicaFix;
import io.hybridstore.healer.repair.RepairPlan.ShardFix;
import io.hybridstore.healer.repair.RepairPlan.StripeFix;
import io.hybridstore.healer.status.HealerStats;
import io.hybridstore.shardio.StripeFetcher;
import io.hybridstore.shardio.StripeUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries out a {@link RepairPlan}: read the good copies (a replica, or k shards of a stripe), write the new blobs,
 * then put the amended manifest only if it is still the version read. A lost race deletes what was written — the
 * newer manifest will be looked at on the next pass — and a won one deletes the bad blobs it replaced.
 *
 * <p>One repair of a key at a time: the scan, the scrub and the hints run on different threads and may find the
 * same damage at once; a second attempt while one is in flight is refused ({@link Outcome#BUSY}) and the key is
 * looked at again later. A repair in another process (an old leader) is told apart by its attempt's blob ids
 * ({@link RepairedIds}), and a loser deletes only what the manifest current after its loss does not reference.
 */
final class RepairExecutor {

    private static final Logger log = LoggerFactory.getLogger(RepairExecutor.class);

    private final ManifestStore manifests;
    private final NodeDirectory directory;
    private final StorageNodeClient client;
    private final LeaderGate gate;
    private final HealerStats stats;
    private final NodeBlobs nodeBlobs;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final StripeFetcher stripes;
    private final Pacer writePacer;

    /** @param writePacer paces the bytes repairs write, all of this executor's repairs together */
    RepairExecutor(ManifestStore manifests, NodeDirectory directory, StorageNodeClient client, LeaderGate gate,
                   HealerStats stats, Pacer writePacer) {
        this.manifests = manifests;
        this.writePacer = writePacer;
        this.directory = directory;
        this.client = client;
        this.gate = gate;
        this.stats = stats;
        this.nodeBlobs = new NodeBlobs(directory, client);
        this.stripes = new StripeFetcher(shard -> fetch(shard.node(), shard.blob(), shard.crc32c()));
    }

    /** The outcome of one manifest's repair; BUSY: another repair of the key was running in this healer. */
    enum Outcome { REPAIRED, CONFLICT, NOT_LEADER, FAILED, BUSY }

    Outcome execute(VersionedManifest current, RepairPlan plan, BlobVerdicts verdicts) {
        String key = current.manifest().key();
        if (!inFlight.add(key)) {
            log.debug("Repair of '{}' skipped: another repair of it is running", key);
            return Outcome.BUSY;
        }
        try {
            return executeAlone(current, plan, verdicts);
        } finally {
            inFlight.remove(key);
        }
    }

    private Outcome executeAlone(VersionedManifest current, RepairPlan plan, BlobVerdicts verdicts) {
        Manifest manifest = current.manifest();
        List<BlobRef> written = new ArrayList<>();
        try {
            ReplicatedPart replicated = manifest.replicated() == null || plan.replicas().isEmpty()
                    ? manifest.replicated() : repairReplicated(manifest.replicated(), plan.replicas(), verdicts, written);
            ErasureCodedPart coded = manifest.erasureCoded() == null || plan.stripes().isEmpty()
                    ? manifest.erasureCoded() : repairStripes(manifest.erasureCoded(), plan.stripes(), verdicts, written);
            Manifest repaired = manifest.withParts(replicated, coded);
            if (!gate.isLeader()) {
                deleteQuietly(written);
                return Outcome.NOT_LEADER;
            }
            if (manifests.putIf(repaired, current.modRevision()) != ManifestStore.PutResult.COMMITTED) {
                log.info("Repair of '{}' version {} dropped: the manifest changed meanwhile", manifest.key(),
                        manifest.version());
                stats.repairConflict();
                deleteQuietly(unreferenced(manifest.key(), written));
                return Outcome.CONFLICT;
            }
            stats.repaired(written.size());
            log.info("Repaired '{}' version {}: wrote {}", manifest.key(), manifest.version(), written);
            deleteQuietly(replacedBlobs(plan));
            return Outcome.REPAIRED;
        } catch (RepairAbandonedException | StorageNodeException e) {
            log.warn("Repair of '{}' version {} failed, retried next pass: {}", manifest.key(), manifest.version(),
                    e.getMessage());
            deleteQuietly(written);
            return e instanceof RepairAbandonedException r && r.notLeader() ? Outcome.NOT_LEADER : Outcome.FAILED;
        }
    }

    private ReplicatedPart repairReplicated(ReplicatedPart part, List<ReplicaFix> fixes, BlobVerdicts verdicts,
                                            List<BlobRef> written) {
        byte[] bytes = part.replicas().stream()
                .filter(r -> verdicts.of(r.node(), r.blob()) == Verdict.INTACT)
                .map(r -> fetch(r.node(), r.blob(), r.crc32c()))
                .flatMap(Optional::stream).findFirst()
                .orElseThrow(() -> new RepairAbandonedException("no intact replica could be read", false));
        long crc = Checksums.crc32c(bytes);
        List<Replica> replicas = new ArrayList<>(part.replicas());
        for (ReplicaFix fix : fixes) {
            put(fix.target().id(), fix.newBlob(), bytes, crc, written);
            Replica fresh = new Replica(fix.target().id(), fix.newBlob(), crc);
            if (fix.replaced() == null) {
                replicas.add(fresh);
            } else {
                replicas.set(replicas.indexOf(fix.replaced()), fresh);
            }
        }
        return new ReplicatedPart(part.length(), part.sha256(), replicas);
    }

    private ErasureCodedPart repairStripes(ErasureCodedPart part, List<StripeFix> fixes, BlobVerdicts verdicts,
                                           List<BlobRef> written) {
        ReedSolomon codec = ReedSolomon.create(part.k(), part.m());
        List<Stripe> stripes = new ArrayList<>(part.stripes());
        for (StripeFix fix : fixes) {
            Stripe stripe = stripes.get(fix.stripe());
            byte[][] shards = readK(part.k(), part.m(), stripe, verdicts);
            codec.reconstruct(shards);
            List<Shard> result = new ArrayList<>(stripe.shards());
            for (ShardFix shardFix : fix.shards()) {
                byte[] data = shards[shardFix.index()];
                long crc = Checksums.crc32c(data);
                put(shardFix.target().id(), shardFix.newBlob(), data, crc, written);
                Shard fresh = new Shard(shardFix.index(), shardFix.target().id(), shardFix.newBlob(), crc);
                if (shardFix.replaced() == null) {
                    result.add(fresh);
                } else {
                    result.set(result.indexOf(shardFix.replaced()), fresh);
                }
            }
            result.sort(Comparator.comparingInt(Shard::index));
            stripes.set(fix.stripe(), new Stripe(stripe.length(), stripe.shardSize(), result));
        }
        return new ErasureCodedPart(part.k(), part.m(), part.length(), part.sha256(), stripes);
    }

    /**
     * At least k verified shards among those the check found intact, fetched in parallel by the reader the gateway
     * uses too: data shards first, parity only for what is still short; the rest null.
     */
    private byte[][] readK(int k, int m, Stripe stripe, BlobVerdicts verdicts) {
        try {
            return stripes.fetch(k, m, stripe, s -> verdicts.of(s.node(), s.blob()) == Verdict.INTACT).shards();
        } catch (StripeUnavailableException e) {
            throw new RepairAbandonedException("the stripe cannot be read: " + e.getMessage(), false);
        }
    }

    private Optional<byte[]> fetch(String nodeId, String blob, long crc32c) {
        Optional<byte[]> bytes = nodeBlobs.fetch(nodeId, blob, crc32c);
        bytes.ifPresent(b -> stats.bytesRead(b.length));
        return bytes;
    }

    private void put(String nodeId, String blob, byte[] data, long crc, List<BlobRef> written) {
        if (!gate.isLeader()) {
            throw new RepairAbandonedException("no longer the leader", true);
        }
        var node = directory.resolve(nodeId)
                .orElseThrow(() -> new RepairAbandonedException("target node " + nodeId + " is unknown", false));
        try {
            writePacer.acquire(data.length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepairAbandonedException("interrupted while pacing the repair's writes", false);
        }
        written.add(new BlobRef(nodeId, blob));
        client.put(node, new BlobId(blob), data, crc);
    }

    private static List<BlobRef> replacedBlobs(RepairPlan plan) {
        List<BlobRef> replaced = new ArrayList<>();
        plan.replicas().stream().filter(f -> f.replaced() != null)
                .forEach(f -> replaced.add(new BlobRef(f.replaced().node(), f.replaced().blob())));
        plan.stripes().stream().flatMap(s -> s.shards().stream()).filter(f -> f.replaced() != null)
                .forEach(f -> replaced.add(new BlobRef(f.replaced().node(), f.replaced().blob())));
        return replaced;
    }

    /**
     * The blobs of a lost attempt that the manifest now committed does not name. Attempt ids are unique, so this is
     * normally all of them; the check keeps a loser from ever deleting a blob a committed manifest lists.
     */
    private List<BlobRef> unreferenced(String key, List<BlobRef> written) {
        List<BlobRef> referenced = manifests.get(key).map(v -> v.manifest().blobs()).orElse(List.of());
        return written.stream().filter(ref -> !referenced.contains(ref)).toList();
    }

    /**
     * Best effort: a blob left behind here is unreferenced, and garbage collection removes it after its grace. For
     * the same reason the deletes need not be durable, which spares each repair an fsync on every node it cleans.
     */
    private void deleteQuietly(List<BlobRef> blobs) {
        for (BlobRef ref : blobs) {
            if (!gate.isLeader()) {
                return;
            }
            nodeBlobs.delete(ref, false);
        }
    }
}
