package io.hybridstore.gateway.write;

import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.gateway.write.PartWriter.ReplicatedPlan;
import io.hybridstore.gateway.write.PartWriter.StripedPlan;
import io.hybridstore.gateway.write.PartWriter.Target;
import io.hybridstore.gateway.write.PartWriter.WrittenReplicated;
import io.hybridstore.gateway.write.PartWriter.WrittenStriped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code replication} and {@code ec}: the value is stored whole, as replicas or as RS stripes. Nothing depends on
 * the previous version, so a commit conflict just commits the same manifest over the newer one.
 */
final class WholeValueDraft implements Draft {

    private final WriteRequest request;
    private final String version;
    private final long createdAt;
    private final PartWriter writer;
    private final ReplicatedPlan replicatedPlan;
    private final StripedPlan stripedPlan;
    private WrittenReplicated replicated;
    private WrittenStriped striped;

    WholeValueDraft(WriteRequest request, String version, long createdAt, PartWriter writer) {
        this.request = request;
        this.version = version;
        this.createdAt = createdAt;
        this.writer = writer;
        boolean replication = request.strategy() == Strategy.REPLICATION;
        this.replicatedPlan = replication ? writer.planReplicated(request.key(), version, "data") : null;
        this.stripedPlan = replication ? null : writer.planStriped(request.key(), version, "data", request.body().length);
    }

    @Override
    public List<BlobRef> plannedBlobs() {
        return replicatedPlan != null ? replicatedPlan.targets().stream().map(Target::ref).toList() : stripedPlan.refs();
    }

    @Override
    public void writeParts() {
        if (replicatedPlan != null) {
            replicated = writer.writeReplicated(replicatedPlan, request.body());
        } else {
            striped = writer.writeStriped(stripedPlan, request.body());
        }
    }

    @Override
    public Manifest manifestOver(Optional<VersionedManifest> current) {
        byte[] value = request.body();
        return new Manifest(request.key(), version, request.strategy(), "application/json", value.length,
                replicated != null ? replicated.part().sha256() : striped.part().sha256(), createdAt,
                replicated != null ? replicated.part() : null, striped != null ? striped.part() : null, null);
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("size", request.body().length);
        if (replicated != null) {
            details.put("nodes_written", replicated.nodeUrls());
            details.put("partial", replicated.nodeUrls().size() < replicated.planned());
        } else {
            details.put("chunks_written", striped.chunksWritten());
            details.put("total_chunks", striped.totalChunks());
            details.put("partial", striped.chunksWritten() < striped.totalChunks());
        }
        return details;
    }
}
