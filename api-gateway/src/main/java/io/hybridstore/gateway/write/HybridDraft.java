package io.hybridstore.gateway.write;

import io.hybridstore.common.concurrent.Futures;
import io.hybridstore.common.json.FieldPrint;
import io.hybridstore.common.json.FieldSplit;
import io.hybridstore.common.json.JsonFields;
import io.hybridstore.common.json.JsonFields.Field;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.ErasureCodedPart;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.ManifestCodec;
import io.hybridstore.common.manifest.ReplicatedPart;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.common.placement.PlacementKeys;
import io.hybridstore.gateway.read.PartReader;
import io.hybridstore.gateway.write.PartWriter.ReplicatedPlan;
import io.hybridstore.gateway.write.PartWriter.StripeSource;
import io.hybridstore.gateway.write.PartWriter.StripedPlan;
import io.hybridstore.gateway.write.PartWriter.Target;
import io.hybridstore.gateway.write.PartWriter.WrittenReplicated;
import io.hybridstore.gateway.write.PartWriter.WrittenStriped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code field_hybrid}: hot fields replicated, cold fields erasure coded. When the canonical cold part hashes the
 * same as the current version's, the new manifest reuses the current cold blobs — no encoding, no cold I/O (a
 * "pure hot update"). The conditional commit guarantees the reused blobs are still the current version's, and so
 * not deleted, at the instant of the commit; if another commit came first, the decision is made again.
 *
 * <p>A field lives in exactly one part. A whole write splits by the collection's hot set as it is now, so an object
 * adopts a changed hot set on its next whole write (one cold rewrite, since its cold part changes). A hot-only write
 * keeps the stored cold part, so it splits by where the stored fields already are (the stored prints say, else the
 * stored hot part's names) and uses the hot set only for fields the object did not have.
 */
final class HybridDraft implements Draft {

    private final WriteRequest request;
    private final String version;
    private final long createdAt;
    private final PartWriter writer;
    private final PartWriter.Relocations relocations;
    private final PartReader reader;
    private final Set<String> hotFields;
    private final FieldSplit split;
    private final ReplicatedPlan hotPlan;
    private final StripedPlan coldPlan;
    private final boolean coldReusableAtStart;
    private WrittenReplicated hot;
    private WrittenStriped cold;
    private boolean coldReused;

    /**
     * @param hotFields  the collection's hot fields now
     * @param maxPrinted objects of at most this many fields get field prints
     */
    HybridDraft(WriteRequest request, String version, long createdAt, Optional<VersionedManifest> current,
                PartWriter writer, PartReader reader, Set<String> hotFields, int maxPrinted, long maxFieldNamesBytes,
                PartWriter.Relocations relocations) {
        this.request = request;
        this.relocations = relocations;
        this.version = version;
        this.createdAt = createdAt;
        this.writer = writer;
        this.reader = reader;
        this.hotFields = request.hotOnly() ? storedSplit(current, hotFields) : hotFields;
        this.split = FieldSplit.split(request.body().readAll(), this.hotFields, maxPrinted);
        requireListable(split.fieldOrder(), split.prints(), maxFieldNamesBytes);
        if (request.hotOnly()) {
            coldOf(current);
        }
        this.hotPlan = split.hot() == null ? null : writer.planReplicated(PlacementKeys.hot(request.key()), version, "hot");
        this.coldPlan = split.cold() == null || request.hotOnly() ? null
                : writer.planStriped(PlacementKeys.cold(request.key()), version, "cold", split.cold().length);
        this.coldReusableAtStart = reusableCold(current).isPresent();
    }

    /**
     * Checked before anything is written: the manifest lists every field name (and a print of each), and etcd caps a
     * request's size.
     */
    private static void requireListable(List<String> fieldOrder, List<FieldPrint> prints, long maxBytes) {
        long bytes = ManifestCodec.encodedLength(fieldOrder)
                + (prints == null ? 0 : ManifestCodec.encodedLength(prints.stream().map(FieldPrint::encode).toList()));
        if (bytes > maxBytes) {
            throw new TooManyFieldsException(fieldOrder.size(), bytes, maxBytes);
        }
    }

    @Override
    public List<BlobRef> plannedBlobs() {
        Stream<BlobRef> hotRefs = hotPlan == null ? Stream.empty() : hotPlan.targets().stream().map(Target::ref);
        Stream<BlobRef> coldRefs = coldPlan == null ? Stream.empty() : coldPlan.refs().stream();
        return Stream.concat(hotRefs, coldRefs).toList();
    }

    /** Hot and cold are written in parallel; cold only when the current version's cold part cannot be reused. */
    @Override
    public void writeParts() {
        boolean writeCold = coldPlan != null && !coldReusableAtStart;
        CompletableFuture<WrittenStriped> coldWrite = writeCold
                ? CompletableFuture.supplyAsync(() -> writer.writeStriped(coldPlan, StripeSource.of(split.cold()), relocations),
                        Thread.ofVirtual()::start)
                : null;
        if (hotPlan != null) {
            hot = writer.writeReplicated(hotPlan, split.hot(), relocations);
        }
        if (coldWrite != null) {
            cold = Futures.join(coldWrite);
        }
    }

    @Override
    public Manifest manifestOver(Optional<VersionedManifest> current) {
        ErasureCodedPart coldPart;
        List<String> order = split.fieldOrder();
        List<FieldPrint> prints = split.prints();
        if (request.hotOnly()) {
            coldPart = coldOf(current);
            Manifest stored = current.orElseThrow().manifest();
            order = hotOnlyFieldOrder(stored);
            prints = hotOnlyPrints(stored, order);
            coldReused = true;
        } else if (cold != null || split.cold() == null) {
            coldPart = cold == null ? null : cold.part();
            coldReused = false;
        } else {
            Optional<ErasureCodedPart> reusable = reusableCold(current);
            coldReused = reusable.isPresent();
            if (reusable.isEmpty()) {
                cold = writer.writeStriped(coldPlan, StripeSource.of(split.cold()), relocations);
            }
            coldPart = reusable.orElseGet(() -> cold.part());
        }
        ReplicatedPart hotPart = hot == null ? null : hot.part();
        long size = (hotPart == null ? 0 : hotPart.length()) + (coldPart == null ? 0 : coldPart.length())
                - (hotPart != null && coldPart != null ? 1 : 0);
        return new Manifest(request.key(), version, Strategy.FIELD_HYBRID, request.contentType(), size, null,
                createdAt, hotPart, coldPart, order, request.attributes().get(), prints);
    }

    /**
     * What a hot-only write splits by: the stored object's hot fields, and of the fields it does not have yet, those
     * hot in the collection now. Without a stored field_hybrid object the write is refused later ({@link #coldOf}).
     */
    private Set<String> storedSplit(Optional<VersionedManifest> current, Set<String> hotNow) {
        Optional<Manifest> stored = current.map(VersionedManifest::manifest)
                .filter(m -> m.strategy() == Strategy.FIELD_HYBRID);
        if (stored.isEmpty()) {
            return hotNow;
        }
        Set<String> split = new HashSet<>(storedHotFields(stored.get(), reader));
        hotNow.stream().filter(name -> !stored.get().fieldOrder().contains(name)).forEach(split::add);
        return split;
    }

    /** The fields a stored field_hybrid version keeps in its hot part: its prints say, else its hot part is read. */
    static Set<String> storedHotFields(Manifest stored, PartReader reader) {
        if (stored.fieldPrints() != null) {
            return stored.printsByField().entrySet().stream().filter(field -> field.getValue().hot())
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
        }
        if (stored.replicated() == null) {
            return Set.of();
        }
        Set<String> hot = new HashSet<>();
        JsonFields.parse(reader.readReplicated(stored.replicated()).bytes()).forEach(f -> hot.add(f.name()));
        return hot;
    }

    /** The body's prints for its fields, the stored ones for the cold fields kept; none if the stored have none. */
    private List<FieldPrint> hotOnlyPrints(Manifest stored, List<String> order) {
        if (split.prints() == null || stored.fieldPrints() == null) {
            return null;
        }
        Map<String, FieldPrint> prints = new HashMap<>(stored.printsByField());
        for (int i = 0; i < split.fieldOrder().size(); i++) {
            prints.put(split.fieldOrder().get(i), split.prints().get(i));
        }
        List<FieldPrint> ordered = order.stream().map(prints::get).toList();
        return ordered.contains(null) ? null : ordered;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean pureHot = cold == null;
        details.put("is_pure_hot_update", pureHot);
        details.put("operation_type", pureHot ? "Pure Hot Update" : "Cold Update");
        details.put("hot_nodes_written", hot == null ? 0 : hot.nodeUrls().size());
        details.put("cold_chunks_written", cold == null ? 0 : cold.chunksWritten());
        details.put("cold_reused", coldReused);
        details.put("partial", (hot != null && hot.nodeUrls().size() < hot.planned())
                || (cold != null && cold.chunksWritten() < cold.totalChunks()));
        return details;
    }

    private Optional<ErasureCodedPart> reusableCold(Optional<VersionedManifest> current) {
        String coldSha = split.coldSha256();
        return current.map(VersionedManifest::manifest)
                .filter(m -> m.strategy() == Strategy.FIELD_HYBRID && m.erasureCoded() != null && coldSha != null)
                .map(Manifest::erasureCoded)
                .filter(part -> part.sha256().equals(coldSha));
    }

    /**
     * The stored cold part a hot-only write keeps. Cold fields in the body are allowed only when they equal the
     * stored ones literally; anything else would silently drop a cold change, so it is refused.
     */
    private ErasureCodedPart coldOf(Optional<VersionedManifest> current) {
        Manifest stored = current.map(VersionedManifest::manifest)
                .filter(m -> m.strategy() == Strategy.FIELD_HYBRID)
                .orElseThrow(() -> new HotOnlyRefusedException("hot_only=true needs a stored field_hybrid object at '"
                        + request.key() + "'"));
        if (split.cold() == null || reusableCold(current).isPresent()) {
            return stored.erasureCoded();
        }
        if (stored.erasureCoded() == null) {
            throw new HotOnlyRefusedException("hot_only=true, but the body has cold fields the stored object lacks");
        }
        Map<String, byte[]> storedCold = new LinkedHashMap<>();
        JsonFields.parse(reader.readStriped(stored.erasureCoded()).bytes())
                .forEach(f -> storedCold.put(f.name(), f.rawValue()));
        for (Field field : JsonFields.parse(split.cold())) {
            byte[] storedValue = storedCold.get(field.name());
            if (storedValue == null || !Arrays.equals(storedValue, field.rawValue())) {
                throw new HotOnlyRefusedException("hot_only=true, but cold field '" + field.name()
                        + "' differs from the stored value; write without hot_only to change cold fields");
            }
        }
        return stored.erasureCoded();
    }

    /** The stored order, less stored hot fields the body leaves out, plus hot fields new in the body. */
    private List<String> hotOnlyFieldOrder(Manifest stored) {
        List<String> bodyHot = split.fieldOrder().stream().filter(hotFields::contains).toList();
        List<String> order = new ArrayList<>(stored.fieldOrder().stream()
                .filter(name -> !hotFields.contains(name) || bodyHot.contains(name)).toList());
        bodyHot.stream().filter(name -> !order.contains(name)).forEach(order::add);
        return order;
    }
}
