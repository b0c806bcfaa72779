package io.hybridstore.gateway.read;

import io.hybridstore.common.concurrent.Futures;
import io.hybridstore.common.json.FieldSplit;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.gateway.read.PartReader.PartBytes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The read protocol: the manifest from etcd (a linearizable read, so a read never sees an older version than an
 * acknowledged write), then the bytes of its parts — for {@code field_hybrid} hot and cold in parallel, merged back
 * in the original field order. A read that had to read around bad blobs still succeeds and reports them.
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
    private final Counter degradedReads;
    private final RepairHints repairHints;

    ReadCoordinator(ManifestStore manifests, PartReader parts, MeterRegistry meters, RepairHints repairHints) {
        this.manifests = manifests;
        this.parts = parts;
        this.repairHints = repairHints;
        this.degradedReads = Counter.builder("hybridstore.gateway.degraded.reads")
                .description("Reads that found a missing or corrupt blob and read around it")
                .register(meters);
    }

    /**
     * Reads the committed version. A concurrent overwrite may delete the blobs of the version this read started
     * with; then the manifest is read again and the read retried on the newer version, so a reader sees the old
     * value or the new one, never an error that only a race produced.
     */
    public StoredObject read(String key) {
        Manifest manifest = current(key);
        for (int attempt = 1; ; attempt++) {
            List<String> bad = new ArrayList<>();
            try {
                byte[] value = readParts(manifest, bad);
                if (!bad.isEmpty() && current(key).version().equals(manifest.version())) {
                    reportDegraded(manifest, bad);
                }
                return new StoredObject(manifest, value);
            } catch (ObjectUnavailableException e) {
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
        byte[] value = readParts(manifest, bad);
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

    private Manifest current(String key) {
        return manifests.get(key).map(VersionedManifest::manifest).orElseThrow(() -> new ObjectNotFoundException(key));
    }

    private byte[] readParts(Manifest manifest, List<String> bad) {
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
}
