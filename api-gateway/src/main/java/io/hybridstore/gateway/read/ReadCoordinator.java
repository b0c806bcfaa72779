package io.hybridstore.gateway.read;

import io.hybridstore.common.concurrent.Futures;
import io.hybridstore.common.json.FieldPrint;
import io.hybridstore.common.json.FieldSplit;
import io.hybridstore.common.json.JsonFields;
import io.hybridstore.common.json.JsonFields.Field;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.gateway.memory.MemoryBudget;
import io.hybridstore.gateway.memory.MemoryBudget.Reservation;
import io.hybridstore.gateway.read.PartReader.PartBytes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The read protocol: the manifest from etcd (a linearizable read, so a read never sees an older version than an
 * acknowledged write), then the bytes of its parts. An {@code ec} value is streamed to the client stripe by stripe;
 * a replica, or the two parts of a {@code field_hybrid} value (read in parallel and merged back in the original
 * field order), are verified whole before the first byte is sent. Every read first reserves what it will hold in
 * the gateway's {@link MemoryBudget}. A read that had to read around bad blobs still succeeds and reports them.
 */
@Component
public class ReadCoordinator {

    private static final Logger log = LoggerFactory.getLogger(ReadCoordinator.class);
    /**
     * Each retry follows a newer committed version, so a read only retries while writers make progress; the bound
     * keeps a key overwritten without pause from holding a reader forever.
     */
    private static final int MAX_ATTEMPTS = 20;
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    private final ManifestStore manifests;
    private final PartReader parts;
    private final MemoryBudget budget;
    private final Counter degradedReads;
    private final Counter abortedReads;
    private final RepairHints repairHints;

    ReadCoordinator(ManifestStore manifests, PartReader parts, MemoryBudget budget, MeterRegistry meters,
                    RepairHints repairHints) {
        this.manifests = manifests;
        this.parts = parts;
        this.budget = budget;
        this.repairHints = repairHints;
        this.degradedReads = Counter.builder("hybridstore.gateway.degraded.reads")
                .description("Reads that found a missing or corrupt blob and read around it")
                .register(meters);
        this.abortedReads = Counter.builder("hybridstore.gateway.aborted.reads")
                .description("Streamed reads cut off midway because a later stripe could not be read")
                .register(meters);
    }

    /**
     * Streams the committed version to {@code target}. A concurrent overwrite may delete the blobs of the version
     * this read started with; until the first byte is sent, the manifest is then read again and the read retried on
     * the newer version, so a reader sees the old value or the new one, never an error that only a race produced.
     * Once bytes are out, a failure can only cut the answer off: {@link ReadAbortedException}.
     */
    public void read(String key, ReadTarget target) throws IOException {
        Manifest manifest = current(key);
        for (int attempt = 1; ; attempt++) {
            Delivery delivery = new Delivery(target, manifest);
            try (Reservation ignored = budget.reserve(workingSet(manifest))) {
                List<String> bad = deliver(manifest, delivery);
                if (!bad.isEmpty() && current(key).version().equals(manifest.version())) {
                    reportDegraded(manifest, bad);
                }
                return;
            } catch (ObjectUnavailableException e) {
                if (delivery.out != null) {
                    abortedReads.increment();
                    log.warn("Read of '{}' version {} cut off midway: {}", key, manifest.version(), e.getMessage());
                    repairHints.report(manifest.key(), manifest.version());
                    throw new ReadAbortedException("the read of '" + key + "' failed midway: " + e.getMessage(), e);
                }
                Manifest now = current(key);
                if (now.version().equals(manifest.version()) || attempt == MAX_ATTEMPTS) {
                    log.warn("Read of '{}' failed on version {} after {} attempts: {}", key, manifest.version(),
                            attempt, e.getMessage());
                    throw e;
                }
                manifest = now;
            }
        }
    }

    /**
     * The value of this version, read around bad blobs (reported like a read's). Throws ObjectUnavailableException
     * when too few of its blobs can be read, as when a newer version has just replaced it.
     */
    public byte[] value(Manifest manifest) {
        List<String> bad = new ArrayList<>();
        byte[] value = readWhole(manifest, bad);
        if (!bad.isEmpty()) {
            reportDegraded(manifest, bad);
        }
        return value;
    }

    /** The hot fields of a field_hybrid version as one JSON object ({@code {}} when it has none), read like a value. */
    public byte[] hotPart(Manifest manifest) {
        if (manifest.replicated() == null) {
            return EMPTY_OBJECT;
        }
        List<String> bad = new ArrayList<>();
        byte[] hot = collect(parts.readReplicated(manifest.replicated()), bad);
        if (!bad.isEmpty()) {
            reportDegraded(manifest, bad);
        }
        return hot;
    }

    /**
     * Which parts a projection read: {@code hot} (one hot replica alone, no cold shard read or decoded), {@code cold},
     * {@code hot,cold}, {@code none} (no requested field exists, nothing read), or {@code whole} for a value that
     * is not split.
     */
    public record Projection(Manifest manifest, byte[] json, String parts) {
    }

    /**
     * The committed version's top-level fields named in {@code fields}, as one JSON object in stored order; fields
     * it does not have are absent. A {@code field_hybrid} version reads only the parts that hold requested fields
     * (its field prints say which; without them the hot part is read first, the cold part when a field is missing);
     * any other version is read whole and must be a JSON object ({@link NotAnObjectException} otherwise). Retried
     * on a newer version like {@link #read}.
     */
    public Projection project(String key, Set<String> fields) {
        Manifest manifest = current(key);
        for (int attempt = 1; ; attempt++) {
            boolean split = manifest.strategy() == Strategy.FIELD_HYBRID;
            long hot = manifest.replicated() == null ? 0 : manifest.replicated().length();
            try (Reservation reservation = budget.reserve(split ? 3 * hot
                    : 3 * manifest.size() + workingSet(manifest))) {
                return projectVersion(manifest, fields, reservation);
            } catch (ObjectUnavailableException e) {
                Manifest now = current(key);
                if (now.version().equals(manifest.version()) || attempt == MAX_ATTEMPTS) {
                    log.warn("Projection of '{}' failed on version {} after {} attempts: {}", key, manifest.version(),
                            attempt, e.getMessage());
                    throw e;
                }
                manifest = now;
            }
        }
    }

    /** {@code reservation} holds the hot part's working set; it grows by the cold part's only when that is read. */
    private Projection projectVersion(Manifest manifest, Set<String> fields, Reservation reservation) {
        if (manifest.strategy() != Strategy.FIELD_HYBRID) {
            List<Field> all;
            try {
                all = JsonFields.parse(value(manifest));
            } catch (IllegalArgumentException e) {
                throw new NotAnObjectException(manifest.key());
            }
            return new Projection(manifest, JsonFields.object(all.stream().filter(f -> fields.contains(f.name()))
                    .toList()), "whole");
        }
        List<String> wanted = manifest.fieldOrder().stream().filter(fields::contains).toList();
        if (wanted.isEmpty()) {
            return new Projection(manifest, EMPTY_OBJECT, "none");
        }
        Map<String, Field> found = new HashMap<>();
        Map<String, FieldPrint> prints = manifest.printsByField();
        boolean hotRead = manifest.replicated() != null
                && (prints.isEmpty() || wanted.stream().anyMatch(name -> prints.get(name).hot()));
        if (hotRead) {
            JsonFields.parse(hotPart(manifest)).forEach(f -> found.put(f.name(), f));
        }
        boolean coldRead = !found.keySet().containsAll(wanted) && manifest.erasureCoded() != null;
        if (coldRead) {
            reservation.grow(2 * manifest.erasureCoded().length() + PartReader.workingSet(manifest.erasureCoded()));
            List<String> bad = new ArrayList<>();
            JsonFields.parse(collect(parts.readStriped(manifest.erasureCoded()), bad))
                    .forEach(f -> found.put(f.name(), f));
            if (!bad.isEmpty()) {
                reportDegraded(manifest, bad);
            }
        }
        String read = coldRead ? (hotRead ? "hot,cold" : "cold") : "hot";
        return new Projection(manifest, JsonFields.object(wanted.stream().map(found::get).filter(Objects::nonNull)
                .toList()), read);
    }

    private Manifest current(String key) {
        return manifests.get(key).map(VersionedManifest::manifest).orElseThrow(() -> new ObjectNotFoundException(key));
    }

    /**
     * Delivers the version, or the range the target asks for: an {@code ec} range reads only the stripes it covers;
     * a replicated or {@code field_hybrid} value is read whole (it is checked whole) and the range cut from it.
     */
    private List<String> deliver(Manifest manifest, Delivery delivery) throws IOException {
        List<String> bad = new ArrayList<>();
        Optional<ByteRange> range = delivery.target.range(manifest);
        long length = range.map(ByteRange::length).orElse(manifest.size());
        switch (manifest.strategy()) {
            case EC -> {
                PartReader.StripeSink sink = (bytes, offset, count) -> delivery.open(length).write(bytes, offset, count);
                bad.addAll(range.isEmpty() ? parts.streamStriped(manifest.erasureCoded(), sink)
                        : parts.streamStripedRange(manifest.erasureCoded(), range.get(), sink));
            }
            case REPLICATION, FIELD_HYBRID -> {
                byte[] value = readWhole(manifest, bad);
                int first = Math.toIntExact(range.map(ByteRange::first).orElse(0L));
                delivery.open(length).write(value, first, Math.toIntExact(length));
            }
        }
        delivery.open(length);
        return bad;
    }

    /**
     * What a read of this version holds at most: for {@code ec} one stripe's working set; for a replica the value
     * twice (the HTTP client's buffers and the array they are copied into); for {@code field_hybrid} both parts,
     * and the merged value besides.
     */
    private static long workingSet(Manifest manifest) {
        long hot = manifest.replicated() == null ? 0 : manifest.replicated().length();
        long cold = manifest.erasureCoded() == null ? 0 : manifest.erasureCoded().length();
        long coldStripe = manifest.erasureCoded() == null ? 0 : PartReader.workingSet(manifest.erasureCoded());
        return switch (manifest.strategy()) {
            case EC -> coldStripe;
            case REPLICATION -> 2 * hot;
            case FIELD_HYBRID -> 3 * hot + 2 * cold + coldStripe;
        };
    }

    private byte[] readWhole(Manifest manifest, List<String> bad) {
        return switch (manifest.strategy()) {
            case REPLICATION -> collect(parts.readReplicated(manifest.replicated()), bad);
            case EC -> collect(parts.readStriped(manifest.erasureCoded()), bad);
            case FIELD_HYBRID -> readHybrid(manifest, bad);
        };
    }

    private void reportDegraded(Manifest manifest, List<String> bad) {
        degradedReads.increment();
        repairHints.report(manifest.key(), manifest.version());
        log.warn("Degraded read of '{}' version {}: read around missing or corrupt blobs {}", manifest.key(),
                manifest.version(), bad);
    }

    private byte[] readHybrid(Manifest manifest, List<String> bad) {
        CompletableFuture<PartBytes> cold = manifest.erasureCoded() == null ? null
                : CompletableFuture.supplyAsync(() -> parts.readStriped(manifest.erasureCoded()),
                        Thread.ofVirtual()::start);
        byte[] hot = manifest.replicated() == null ? null : collect(parts.readReplicated(manifest.replicated()), bad);
        byte[] coldBytes = cold == null ? null : collect(Futures.join(cold), bad);
        return FieldSplit.merge(hot, coldBytes, manifest.fieldOrder());
    }

    private static byte[] collect(PartBytes part, List<String> bad) {
        bad.addAll(part.badBlobs());
        return part.bytes();
    }

    /** Opens the target once, on the first byte; whether it is open decides if a failure may still be answered. */
    private static final class Delivery {

        private final ReadTarget target;
        private final Manifest manifest;
        private OutputStream out;

        Delivery(ReadTarget target, Manifest manifest) {
            this.target = target;
            this.manifest = manifest;
        }

        OutputStream open(long length) throws IOException {
            if (out == null) {
                out = target.open(manifest, length);
            }
            return out;
        }
    }
}
