package io.hybridstore.gateway.write;

import io.hybridstore.common.json.JsonFields;
import io.hybridstore.common.manifest.BlobRef;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.manifest.VersionIds;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.MetadataUnavailableException;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.common.wal.WalRecord;
import io.hybridstore.gateway.GatewayProperties;
import io.hybridstore.gateway.hotfields.HotFieldLearner;
import io.hybridstore.gateway.hotfields.LearningProperties;
import io.hybridstore.gateway.read.ObjectNotFoundException;
import io.hybridstore.gateway.read.ObjectUnavailableException;
import io.hybridstore.gateway.read.PartReader;
import io.hybridstore.gateway.read.ReadCoordinator;
import io.hybridstore.gateway.wal.Intent;
import io.hybridstore.gateway.wal.IntentLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The write protocol of DESIGN.md, top to bottom: read the current manifest → plan → PENDING intent → blobs in
 * parallel → quorum → conditional commit → COMMITTED, and the displaced blobs queued for deletion after the answer
 * ({@link Discards}).
 *
 * <p>Until the commit, any failure removes what was written and closes the intent as ABORTED. When the commit's
 * outcome is unknown (etcd timed out), the intent is left open for the healer instead: deleting blobs that may
 * already be committed would lose an acknowledged write.
 *
 * <p>A merge reads the stored value, lays the patch over it and writes the result pinned to the version it read:
 * when another write commits first, the merge is redone over the newer value rather than overwriting it.
 */
@Component
public class WriteCoordinator {

    private static final Logger log = LoggerFactory.getLogger(WriteCoordinator.class);

    private final GatewayProperties properties;
    private final ManifestStore manifests;
    private final IntentLog intents;
    private final BlobFanout fanout;
    private final Discards discards;
    private final PartWriter writer;
    private final PartReader reader;
    private final ReadCoordinator reads;
    private final VersionIds versionIds;
    private final Clock clock;
    private final HotFieldLearner learner;
    private final int maxPrintedFields;
    private final RecentManifests recent;
    private final KeyLocks merging = new KeyLocks();

    WriteCoordinator(GatewayProperties properties, ManifestStore manifests, IntentLog intents, BlobFanout fanout,
                     Discards discards, PartWriter writer, PartReader reader, ReadCoordinator reads,
                     VersionIds versionIds, Clock clock, HotFieldLearner learner, LearningProperties learning,
                     RecentManifests recent) {
        this.properties = properties;
        this.recent = recent;
        this.manifests = manifests;
        this.intents = intents;
        this.fanout = fanout;
        this.discards = discards;
        this.writer = writer;
        this.reader = reader;
        this.reads = reads;
        this.versionIds = versionIds;
        this.clock = clock;
        this.learner = learner;
        this.maxPrintedFields = learning.maxFields();
    }

    /**
     * A whole write. Its base may be the manifest this gateway committed last ({@link RecentManifests}) unless the
     * write takes a decision over the base that its commit does not check again: a hot-only write refuses a base
     * whose cold part differs, a guarded one (S3 conditions) refuses on what the base is.
     */
    public WriteOutcome write(WriteRequest request) {
        boolean baseRechecked = !request.hotOnly() && request.guard() == CommitGuard.NONE;
        return write(request, baseRechecked ? base(request.key()) : manifests.get(request.key()), false);
    }

    /** The key's manifest this gateway committed last, else etcd's; empty only on etcd's word. */
    private Optional<VersionedManifest> base(String key) {
        return recent.get(key).or(() -> manifests.get(key));
    }

    /**
     * Lays the patch's top-level fields over the stored object's (a field in both takes the patch's value, new
     * fields are appended) and writes the result as a new version. Atomic: the write commits only while the object
     * is still the version that was merged into; otherwise the merge is redone over the newer one, up to
     * {@code commit-retries} times, then 409. A key with no object is 404: a mistyped key must not become a new
     * object holding only the patch. A patch of hot fields only, over a field_hybrid object that stays one and keeps
     * them in its hot part, reads and rewrites only the hot part: the cold part is kept as stored, never read. A
     * patched field the collection learned hot but the object still keeps cold takes one whole merge, which moves it
     * to the hot part. Merges of one key inside this
     * gateway take turns ({@link KeyLocks}).
     */
    public WriteOutcome merge(MergeRequest request) {
        List<JsonFields.Field> patch = JsonFields.parse(request.patch().readAll());
        return merging.withLock(request.key(), () -> merge(request, patch));
    }

    private WriteOutcome merge(MergeRequest request, List<JsonFields.Field> patch) {
        for (int attempt = 1; attempt <= properties.commitRetries(); attempt++) {
            VersionedManifest base = (attempt == 1 ? base(request.key()) : manifests.get(request.key()))
                    .orElseThrow(() -> new ObjectNotFoundException(request.key()));
            Strategy strategy = request.strategy().orElse(base.manifest().strategy());
            Set<String> hotFields = learner.hotFields(request.key());
            boolean hotOnly = strategy == Strategy.FIELD_HYBRID && base.manifest().strategy() == Strategy.FIELD_HYBRID
                    && patch.stream().allMatch(field -> hotFields.contains(field.name()))
                    && patchStaysHot(base.manifest(), patch);
            Optional<byte[]> merged = mergedOver(base, hotOnly, patch);
            if (merged.isEmpty()) {
                continue;
            }
            if (merged.get().length > properties.maxBodySize().toBytes()) {
                throw new ValueTooLargeException("the merged value of '" + request.key() + "' would be "
                        + merged.get().length + " bytes, over the limit of " + properties.maxBodySize().toBytes());
            }
            try {
                WriteOutcome outcome = write(new WriteRequest(request.key(), strategy, hotOnly,
                        new BufferedBody(merged.get())), Optional.of(base), true);
                if (!hotOnly) {
                    recent.committedValue(outcome.manifest(), merged.get());
                }
                return outcome;
            } catch (BaseChangedException e) {
                log.debug("Merge into '{}' lost a race (attempt {}), merging again", request.key(), attempt);
            }
        }
        throw new WriteConflictException("key '" + request.key() + "' kept changing; gave up merging after "
                + properties.commitRetries() + " attempts");
    }

    /**
     * Whether every patched field the stored object has lives in its hot part: only then can a hot-only merge keep
     * the stored cold part as it is. A field hot in the collection now may still be in an object's cold part.
     */
    private boolean patchStaysHot(Manifest stored, List<JsonFields.Field> patch) {
        Set<String> hot = HybridDraft.storedHotFields(stored, reader);
        Set<String> names = new HashSet<>(stored.fieldOrder());
        return patch.stream().map(JsonFields.Field::name).allMatch(name -> !names.contains(name) || hot.contains(name));
    }

    /**
     * The merged value, or with {@code hotOnly} the merged hot fields; empty when the base's blobs vanished under a
     * change of the manifest (a newer version, or the healer moving a blob of a recently committed base): merge
     * again over the manifest as it is now.
     */
    private Optional<byte[]> mergedOver(VersionedManifest base, boolean hotOnly, List<JsonFields.Field> patch) {
        Manifest stored = base.manifest();
        try {
            byte[] value = hotOnly ? reads.hotPart(stored)
                    : recent.value(base).orElseGet(() -> reads.value(stored));
            return Optional.of(JsonFields.object(JsonFields.overlay(JsonFields.parse(value), patch)));
        } catch (ObjectUnavailableException e) {
            boolean changed = manifests.get(stored.key())
                    .map(now -> now.modRevision() != base.modRevision()).orElse(true);
            if (!changed) {
                throw e;
            }
            recent.forget(stored.key());
            return Optional.empty();
        }
    }

    /** With {@code pinned}, the commit succeeds only over {@code current}; a newer version is BaseChangedException. */
    private WriteOutcome write(WriteRequest request, Optional<VersionedManifest> current, boolean pinned) {
        String version = versionIds.next();
        MovedBlobs moved = new MovedBlobs();
        Draft draft = switch (request.strategy()) {
            case REPLICATION, EC -> new WholeValueDraft(request, version, clock.millis(), writer,
                    properties.maxBodySize().toBytes(), moved);
            case FIELD_HYBRID -> new HybridDraft(request, version, clock.millis(), current, writer, reader,
                    learner.hotFields(request.key()), maxPrintedFields, properties.maxFieldNamesSize().toBytes(), moved);
        };

        return run(request.key(), version, draft, moved, current, pinned, request.guard());
    }

    /**
     * Commits a manifest made of blobs that committed manifests already hold (a multipart upload's parts, which the
     * caller removes in the same commit through {@code guard}). Nothing is written, so nothing is planned; the rest
     * is a write's protocol: conditional on the version it replaces and on the guard, retried over newer versions,
     * the displaced version's blobs deleted afterwards.
     *
     * @param manifest the manifest, given the version id the write gets
     */
    public WriteOutcome assemble(String key, Function<String, Manifest> manifest, CommitGuard guard) {
        String version = versionIds.next();
        Manifest assembled = manifest.apply(version);
        Draft draft = new Draft() {
            @Override
            public List<BlobRef> plannedBlobs() {
                return List.of();
            }

            @Override
            public void writeParts() {
            }

            @Override
            public Manifest manifestOver(Optional<VersionedManifest> current) {
                return assembled;
            }

            @Override
            public Map<String, Object> details() {
                return Map.of();
            }
        };
        return run(key, version, draft, new MovedBlobs(), manifests.get(key), false, guard);
    }

    private WriteOutcome run(String key, String version, Draft draft, MovedBlobs moved,
                             Optional<VersionedManifest> current, boolean pinned, CommitGuard guard) {
        List<BlobRef> planned = draft.plannedBlobs();
        Intent intent = intents.begin(WalRecord.Operation.WRITE, key, version, planned);
        moved.bind(intent);
        boolean settled = false;
        try {
            draft.writeParts();
            Committed committed = commit(key, draft, current, intent, pinned, guard);
            settled = true;
            committed.displaced().ifPresent(previous -> {
                discards.discard(previous.manifest().blobsNotIn(committed.manifest()));
                if (previous.manifest().strategy() == Strategy.FIELD_HYBRID
                        && committed.manifest().strategy() == Strategy.FIELD_HYBRID) {
                    learner.overwritten(key, previous.manifest(), committed.manifest());
                }
            });
            intent.committed();
            return new WriteOutcome(committed.manifest(), draft.details());
        } catch (CommitOutcomeUnknownException e) {
            settled = true;
            intent.leaveOpen(e.getMessage());
            throw e;
        } finally {
            if (!settled) {
                abort(intent, Stream.concat(planned.stream(), moved.all().stream()).toList());
            }
        }
    }

    private record Committed(Manifest manifest, Optional<VersionedManifest> displaced) {
    }

    /** A pinned write found a newer version at commit time; its blobs are discarded and the merge redone. */
    private static final class BaseChangedException extends RuntimeException {
        BaseChangedException() {
            super(null, null, false, false);
        }
    }

    /**
     * Puts the manifest conditionally on the mod revision last read, re-reading on conflict a bounded number of
     * times. Each attempt builds the manifest over the version it read, so a reused cold part is always the one
     * current at commit time. Returns the committed manifest and the one it displaced.
     */
    private Committed commit(String key, Draft draft, Optional<VersionedManifest> firstRead, Intent intent,
                             boolean pinned, CommitGuard guard) {
        Optional<VersionedManifest> current = firstRead;
        for (int attempt = 1; attempt <= properties.commitRetries(); attempt++) {
            if (attempt > 1) {
                current = manifests.get(key);
            }
            Manifest manifest = draft.manifestOver(current);
            ManifestStore.Put put;
            try {
                put = manifests.putIf(manifest, current.map(VersionedManifest::modRevision).orElse(0L),
                        guard.check(current.map(VersionedManifest::manifest)));
            } catch (MetadataUnavailableException e) {
                recent.forget(key);
                throw new CommitOutcomeUnknownException("the write of '" + key + "' version " + manifest.version(), e);
            }
            if (put.result() == ManifestStore.PutResult.COMMITTED) {
                put.stored().ifPresent(recent::committed);
                return new Committed(manifest, current);
            }
            recent.forget(key);
            if (put.result() == ManifestStore.PutResult.ROLLED_BACK) {
                throw new WriteRolledBackException(key, manifest.version());
            }
            if (pinned) {
                throw new BaseChangedException();
            }
            log.debug("Commit of '{}' version {} lost a race (attempt {}), retrying", key, manifest.version(), attempt);
        }
        throw new WriteConflictException("key '" + key + "' kept changing; gave up after "
                + properties.commitRetries() + " commit attempts (tx " + intent.record().txId() + ")");
    }

    private void abort(Intent intent, List<BlobRef> planned) {
        int left = fanout.discardAll(planned);
        intent.aborted();
        log.info("Aborted write {} of '{}' (version {}); {} of {} planned blobs could not be removed yet",
                intent.record().txId(), intent.record().key(), intent.record().version(), left, planned.size());
    }
}
