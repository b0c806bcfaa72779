package io.hybridstore.gateway.write;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.concurrent.Futures;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.ErasureCodedPart;
import io.hybridstore.common.manifest.Replica;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.manifest.Shard;
import io.hybridstore.common.manifest.Stripe;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.placement.PlacementKeys;
import io.hybridstore.erasure.ReedSolomon;
import io.hybridstore.gateway.GatewayProperties;
import io.hybridstore.gateway.GatewayProperties.ErasureCoding;
import io.hybridstore.gateway.placement.Placement;
import io.hybridstore.gateway.write.BlobFanout.PlannedBlob;
import io.hybridstore.gateway.write.BlobFanout.PutResult;
import org.springframework.stereotype.Component;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Plans and writes the two kinds of part: replicated (full copies on distinct nodes) and erasure coded (RS(k, m)
 * stripes, the shards of a stripe on distinct nodes). A put that cannot reach its node is moved to the next live
 * node instead of counting against the quorum (see {@link Placement}); the part records where each blob went. Planning only names blobs and nodes, so the intent can list
 * every blob before any is written; writing encodes stripes as the bytes arrive, so memory per request stays
 * bounded by two stripes whatever the object size.
 */
@Component
class PartWriter {

    private final Placement placement;
    private final BlobFanout fanout;
    private final GatewayProperties properties;
    private final ReedSolomon codec;

    PartWriter(Placement placement, BlobFanout fanout, GatewayProperties properties) {
        this.placement = placement;
        this.fanout = fanout;
        this.properties = properties;
        ErasureCoding ec = properties.ec();
        this.codec = ReedSolomon.create(ec.dataShards(), ec.parityShards());
    }

    /** A blob's chosen home: shard or replica {@code index} goes to {@code node} as {@code id}. */
    record Target(NodeInfo node, BlobId id, int index) {

        BlobRef ref() {
            return new BlobRef(node.id(), id.value());
        }
    }

    record ReplicatedPlan(String placementKey, List<Target> targets) {
    }

    /** One list of targets per stripe; a stripe may have fewer than k + m targets when few nodes are live. */
    record StripedPlan(String placementKey, long length, List<List<Target>> stripes) {

        String stripeKey(int stripe) {
            return placementKey + "#" + stripe;
        }

        List<BlobRef> refs() {
            return stripes.stream().flatMap(List::stream).map(Target::ref).toList();
        }
    }

    record WrittenReplicated(ReplicatedPart part, List<String> nodeUrls, int planned) {
    }

    record WrittenStriped(ErasureCodedPart part, int chunksWritten, int totalChunks) {
    }

    /** Told of blobs about to be put on another node than planned, before the put: the intent must name them. */
    @FunctionalInterface
    interface Relocations {
        void announce(List<BlobRef> blobs);
    }

    ReplicatedPlan planReplicated(String placementKey, String version, String partName) {
        List<NodeInfo> nodes = placement.choose(placementKey, properties.replicas(), properties.writeQuorum());
        return new ReplicatedPlan(placementKey, IntStream.range(0, nodes.size())
                .mapToObj(i -> new Target(nodes.get(i), BlobId.of(version, partName, i), i))
                .toList());
    }

    StripedPlan planStriped(String placementKey, String version, String partName, long length) {
        ErasureCoding ec = properties.ec();
        int stripeSize = (int) ec.stripeSize().toBytes();
        int stripes = (int) Math.max(1, (length + stripeSize - 1) / stripeSize);
        List<List<Target>> plan = new ArrayList<>(stripes);
        for (int s = 0; s < stripes; s++) {
            List<NodeInfo> nodes = placement.choose(PlacementKeys.stripe(placementKey, s), codec.totalShards(), ec.writeQuorum());
            String stripePart = stripes == 1 ? partName : partName + "-s" + s;
            plan.add(IntStream.range(0, nodes.size())
                    .mapToObj(i -> new Target(nodes.get(i), BlobId.of(version, stripePart, i), i))
                    .toList());
        }
        return new StripedPlan(placementKey, length, plan);
    }

    WrittenReplicated writeReplicated(ReplicatedPlan plan, byte[] bytes, Relocations relocations) {
        long crc = Checksums.crc32c(bytes);
        List<PutResult> results = putRoutingAround(plan.placementKey(), plan.targets().stream()
                .map(t -> new PlannedBlob(t.node(), t.id(), bytes, crc)).toList(), relocations);
        List<PutResult> acknowledged = requireQuorum(results, properties.writeQuorum(), properties.replicas());
        ReplicatedPart part = new ReplicatedPart(bytes.length, Checksums.sha256Hex(bytes), acknowledged.stream()
                .map(r -> new Replica(r.blob().node().id(), r.blob().id().value(), crc)).toList());
        return new WrittenReplicated(part, acknowledged.stream().map(r -> r.blob().node().url()).toList(),
                properties.replicas());
    }

    /** Supplies an erasure-coded part's bytes a stripe at a time. */
    @FunctionalInterface
    interface StripeSource {

        /** Fills {@code buffer}; returns the count, less than the buffer's length only at the end. */
        int next(byte[] buffer);

        static StripeSource of(byte[] bytes) {
            return new StripeSource() {
                private int offset;

                @Override
                public int next(byte[] buffer) {
                    int n = Math.min(buffer.length, bytes.length - offset);
                    System.arraycopy(bytes, offset, buffer, 0, n);
                    offset += n;
                    return n;
                }
            };
        }
    }

    /**
     * Encodes and writes the part stripe by stripe as its bytes arrive. One stripe's shards are on their way to the
     * nodes while the next is read and encoded, so at most two stripes are held; a stripe below quorum fails the
     * whole part. A failure never leaves a put running behind the caller's cleanup.
     */
    WrittenStriped writeStriped(StripedPlan plan, StripeSource source, Relocations relocations) {
        ErasureCoding ec = properties.ec();
        byte[] buffer = new byte[(int) ec.stripeSize().toBytes()];
        MessageDigest sha256 = Checksums.sha256();
        List<Stripe> stripes = new ArrayList<>();
        long length = 0;
        CompletableFuture<Stripe> inFlight = null;
        try {
            for (int s = 0; ; s++) {
                int n = source.next(buffer);
                if (n == 0 && s > 0) {
                    break;
                }
                if (s == plan.stripes().size()) {
                    throw new IllegalStateException("the value is longer than the " + s + " stripes planned for it");
                }
                sha256.update(buffer, 0, n);
                length += n;
                byte[][] shards = codec.split(buffer, 0, n).shards();
                codec.encode(shards);
                if (inFlight != null) {
                    stripes.add(Futures.join(inFlight));
                }
                List<Target> targets = plan.stripes().get(s);
                String stripeKey = plan.stripeKey(s);
                inFlight = CompletableFuture.supplyAsync(() -> putStripe(stripeKey, targets, shards, n, relocations),
                        Thread.ofVirtual()::start);
                if (n < buffer.length) {
                    break;
                }
            }
            stripes.add(Futures.join(inFlight));
        } finally {
            if (inFlight != null) {
                inFlight.exceptionally(failure -> null).join();
            }
        }
        ErasureCodedPart part = new ErasureCodedPart(ec.dataShards(), ec.parityShards(), length,
                HexFormat.of().formatHex(sha256.digest()), stripes);
        int written = stripes.stream().mapToInt(stripe -> stripe.shards().size()).sum();
        return new WrittenStriped(part, written, stripes.size() * codec.totalShards());
    }

    private Stripe putStripe(String stripeKey, List<Target> targets, byte[][] shards, int length,
                             Relocations relocations) {
        List<PutResult> results = putRoutingAround(stripeKey, targets.stream()
                .map(t -> new PlannedBlob(t.node(), t.id(), shards[t.index()], Checksums.crc32c(shards[t.index()])))
                .toList(), relocations);
        List<PutResult> acknowledged = requireQuorum(results, properties.ec().writeQuorum(), codec.totalShards());
        return new Stripe(length, shards[0].length, acknowledged.stream()
                .map(r -> new Shard(index(targets, r), r.blob().node().id(), r.blob().id().value(), r.blob().crc32c()))
                .toList());
    }

    /**
     * Puts the blobs; a put whose node could not be reached moves to the next node in {@code placementKey}'s
     * rendezvous order that holds none of these blobs, until it lands or no such node is left. The result of each
     * blob is its last attempt's, whose node is where the blob actually is.
     */
    private List<PutResult> putRoutingAround(String placementKey, List<PlannedBlob> blobs, Relocations relocations) {
        Set<String> used = blobs.stream().map(blob -> blob.node().id()).collect(Collectors.toCollection(HashSet::new));
        List<PutResult> settled = new ArrayList<>();
        List<PutResult> attempt = fanout.putAll(blobs);
        while (true) {
            List<PlannedBlob> moved = new ArrayList<>();
            for (PutResult result : attempt) {
                if (!result.unreachable()) {
                    settled.add(result);
                    continue;
                }
                placement.suspect(result.blob().node());
                Optional<NodeInfo> next = placement.fallback(placementKey, used);
                if (next.isEmpty()) {
                    settled.add(result);
                } else {
                    used.add(next.get().id());
                    moved.add(result.blob().on(next.get()));
                }
            }
            if (moved.isEmpty()) {
                return settled;
            }
            relocations.announce(moved.stream().map(PlannedBlob::ref).toList());
            attempt = fanout.putAll(moved);
        }
    }

    private static int index(List<Target> targets, PutResult result) {
        return targets.stream().filter(t -> t.id().equals(result.blob().id())).findFirst().orElseThrow().index();
    }

    /** The acknowledged puts, or a {@link QuorumException} naming every failure when there are too few. */
    private static List<PutResult> requireQuorum(List<PutResult> results, int quorum, int total) {
        List<PutResult> acknowledged = results.stream().filter(PutResult::succeeded).toList();
        if (acknowledged.size() < quorum) {
            Map<String, String> causes = new LinkedHashMap<>();
            results.stream().filter(r -> !r.succeeded()).forEach(r -> causes.put(r.blob().node().id(), r.failure()));
            throw new QuorumException(quorum, acknowledged.size(), total, causes);
        }
        return acknowledged;
    }
}
