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
 * the previous version, so a commit conflict just commits the same manifest over the newer one. An {@code ec}
 * value is streamed from the request into stripes; its stripes are planned from the declared length, or up to the
 * body limit when the client sent it chunked.
 */
final class WholeValueDraft implements Draft {

    private final WriteRequest request;
    private final String version;
    private final long createdAt;
    private final PartWriter writer;
    private final PartWriter.Relocations relocations;
    private final byte[] replicatedValue;
    private final ReplicatedPlan replicatedPlan;
    private final StripedPlan stripedPlan;
    private WrittenReplicated replicated;
    private WrittenStriped striped;

    WholeValueDraft(WriteRequest request, String version, long createdAt, PartWriter writer, long maxLength,
                    PartWriter.Relocations relocations) {
        this.request = request;
        this.relocations = relocations;
        this.version = version;
        this.createdAt = createdAt;
        this.writer = writer;
        if (request.strategy() == Strategy.REPLICATION) {
            this.replicatedValue = request.body().readAll();
            this.replicatedPlan = writer.planReplicated(request.key(), version, "data");
            this.stripedPlan = null;
        } else {
            long declared = request.body().declaredLength();
            this.replicatedValue = null;
            this.replicatedPlan = null;
            this.stripedPlan = writer.planStriped(request.key(), version, "data", declared >= 0 ? declared : maxLength);
        }
    }

    @Override
    public List<BlobRef> plannedBlobs() {
        return replicatedPlan != null ? replicatedPlan.targets().stream().map(Target::ref).toList() : stripedPlan.refs();
    }

    @Override
    public void writeParts() {
        if (replicatedPlan != null) {
            replicated = writer.writeReplicated(replicatedPlan, replicatedValue, relocations);
        } else {
            striped = writer.writeStriped(stripedPlan, request.body()::readNext, relocations);
            request.body().finish();
        }
    }

    @Override
    public Manifest manifestOver(Optional<VersionedManifest> current) {
        return new Manifest(request.key(), version, request.strategy(), request.contentType(), size(),
                replicated != null ? replicated.part().sha256() : striped.part().sha256(), createdAt,
                replicated != null ? replicated.part() : null, striped != null ? striped.part() : null, null,
                request.attributes().get());
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("size", size());
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

    private long size() {
        return replicated != null ? replicated.part().length() : striped.part().length();
    }
}
