package io.hybridstore.gateway.read;

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
import java.util.concurrent.CompletionException;

/**
 * The read protocol: the manifest from etcd (a linearizable read, so a read never sees an older version than an
 * acknowledged write), then the bytes of its parts — for {@code field_hybrid} hot and cold in parallel, merged back
 * in the original field order. A read that had to read around bad blobs still succeeds and reports them.
 */
@Component
public class ReadCoordinator {

    private static final Logger log = LoggerFactory.getLogger(ReadCoordinator.class);

    private final ManifestStore manifests;
    private final PartReader parts;
    private final Counter degradedReads;

    ReadCoordinator(ManifestStore manifests, PartReader parts, MeterRegistry meters) {
        this.manifests = manifests;
        this.parts = parts;
        this.degradedReads = Counter.builder("hybridstore.gateway.degraded.reads")
                .description("Reads that found a missing or corrupt blob and read around it")
                .register(meters);
    }

    public StoredObject read(String key) {
        Manifest manifest = manifests.get(key).map(VersionedManifest::manifest)
                .orElseThrow(() -> new ObjectNotFoundException(key));
        List<String> bad = new ArrayList<>();
        byte[] value = switch (manifest.strategy()) {
            case REPLICATION -> collect(parts.readReplicated(manifest.replicated()), bad);
            case EC -> collect(parts.readStriped(manifest.erasureCoded()), bad);
            case FIELD_HYBRID -> readHybrid(manifest, bad);
        };
        if (!bad.isEmpty()) {
            degradedReads.increment();
            log.warn("Degraded read of '{}' version {}: read around missing or corrupt blobs {}", manifest.key(),
                    manifest.version(), bad);
        }
        return new StoredObject(manifest, value);
    }

    private byte[] readHybrid(Manifest manifest, List<String> bad) {
        CompletableFuture<PartBytes> cold = manifest.erasureCoded() == null ? null
                : CompletableFuture.supplyAsync(() -> parts.readStriped(manifest.erasureCoded()),
                        Thread.ofVirtual()::start);
        byte[] hot = manifest.replicated() == null ? null : collect(parts.readReplicated(manifest.replicated()), bad);
        byte[] coldBytes;
        try {
            coldBytes = cold == null ? null : collect(cold.join(), bad);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
        return FieldSplit.merge(hot, coldBytes, manifest.fieldOrder());
    }

    private static byte[] collect(PartBytes part, List<String> bad) {
        bad.addAll(part.badBlobs());
        return part.bytes();
    }
}
