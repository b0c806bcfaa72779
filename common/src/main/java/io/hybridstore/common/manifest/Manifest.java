package io.hybridstore.common.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hybridstore.common.json.FieldPrint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What etcd holds for one key: the committed version and where every byte of it lives. Versions are immutable;
 * a write replaces the whole manifest in one conditional transaction.
 *
 * <p>Which parts are present depends on the strategy: {@code replication} has only {@code replicated};
 * {@code ec} only {@code erasureCoded}; {@code field_hybrid} has the hot fields in {@code replicated} and the cold
 * fields in {@code erasureCoded} (either may be absent when the object has no such fields), plus the original
 * top-level field order and, for objects of at most a bounded number of fields, a print of each field in that order
 * ({@link FieldPrint}: its part, size and hash; absent in manifests written before prints existed). {@code attributes} holds what an S3 client stored with the object (absent for native
 * writes).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
        String key,
        String version,
        Strategy strategy,
        String contentType,
        long size,
        String sha256,
        long createdAt,
        ReplicatedPart replicated,
        ErasureCodedPart erasureCoded,
        List<String> fieldOrder,
        ObjectAttributes attributes,
        List<FieldPrint> fieldPrints) {

    public Manifest {
        if (fieldPrints != null && (fieldOrder == null || fieldPrints.size() != fieldOrder.size())) {
            throw new IllegalArgumentException("a manifest has a print for every field of its field order, or none");
        }
    }

    /** A manifest without field prints. */
    public Manifest(String key, String version, Strategy strategy, String contentType, long size, String sha256,
                    long createdAt, ReplicatedPart replicated, ErasureCodedPart erasureCoded, List<String> fieldOrder,
                    ObjectAttributes attributes) {
        this(key, version, strategy, contentType, size, sha256, createdAt, replicated, erasureCoded, fieldOrder,
                attributes, null);
    }

    /** A manifest without S3 attributes, as the native API writes them. */
    public Manifest(String key, String version, Strategy strategy, String contentType, long size, String sha256,
                    long createdAt, ReplicatedPart replicated, ErasureCodedPart erasureCoded, List<String> fieldOrder) {
        this(key, version, strategy, contentType, size, sha256, createdAt, replicated, erasureCoded, fieldOrder, null,
                null);
    }

    /** The same version with its blobs moved (a repair): everything the client stored stays as it was. */
    public Manifest withParts(ReplicatedPart newReplicated, ErasureCodedPart newErasureCoded) {
        return new Manifest(key, version, strategy, contentType, size, sha256, createdAt, newReplicated,
                newErasureCoded, fieldOrder, attributes, fieldPrints);
    }

    /** Each field's print by name, or empty when this manifest has none (not field_hybrid, or too many fields). */
    public Map<String, FieldPrint> printsByField() {
        if (fieldPrints == null) {
            return Map.of();
        }
        Map<String, FieldPrint> prints = new LinkedHashMap<>();
        for (int i = 0; i < fieldOrder.size(); i++) {
            prints.put(fieldOrder.get(i), fieldPrints.get(i));
        }
        return prints;
    }

    /** Every blob this version references, as (node, blob) pairs. */
    public List<BlobRef> blobs() {
        List<BlobRef> refs = new ArrayList<>();
        if (replicated != null) {
            replicated.replicas().forEach(r -> refs.add(new BlobRef(r.node(), r.blob())));
        }
        if (erasureCoded != null) {
            erasureCoded.stripes().stream().flatMap(s -> s.shards().stream())
                    .forEach(s -> refs.add(new BlobRef(s.node(), s.blob())));
        }
        return refs;
    }

    /** The CRC32C this version recorded for each of its blobs, so a node can be asked whether it still holds it. */
    public Map<BlobRef, Long> blobCrc32cs() {
        Map<BlobRef, Long> crcs = new LinkedHashMap<>();
        if (replicated != null) {
            replicated.replicas().forEach(r -> crcs.put(new BlobRef(r.node(), r.blob()), r.crc32c()));
        }
        if (erasureCoded != null) {
            erasureCoded.stripes().stream().flatMap(s -> s.shards().stream())
                    .forEach(s -> crcs.put(new BlobRef(s.node(), s.blob()), s.crc32c()));
        }
        return crcs;
    }

    /** The blobs of this version that {@code successor} does not reuse: what a commit of the successor displaces. */
    public List<BlobRef> blobsNotIn(Manifest successor) {
        List<BlobRef> kept = successor == null ? List.of() : successor.blobs();
        return blobs().stream().filter(ref -> !kept.contains(ref)).toList();
    }
}
