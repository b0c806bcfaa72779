package io.hybridstore.healer.gc;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.hybridstore.common.etcd.EtcdCalls;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.UploadRecord;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.healer.leadership.LeaderGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Multipart uploads nobody finishes, and what finished ones leave behind. An upload record older than
 * {@code abandoned-upload-age} is removed, and then every part manifest whose upload record is gone: an abandoned
 * upload's, or one a gateway completed or aborted but died before removing its parts. Only the manifests are
 * removed, never a blob: after a completion a part's blobs are the object's, and otherwise the collection that runs
 * next finds them unreferenced and deletes them after its grace, as it would any blob.
 */
final class UploadCollector {

    private static final Logger log = LoggerFactory.getLogger(UploadCollector.class);
    private static final int PAGE = 500;

    private final KV kv;
    private final EtcdKeys keys;
    private final ManifestStore manifests;
    private final LeaderGate gate;
    private final Duration abandonedAge;
    private final Duration timeout;
    private final Clock clock;

    UploadCollector(KV kv, EtcdKeys keys, ManifestStore manifests, LeaderGate gate, Duration abandonedAge,
                    Duration timeout, Clock clock) {
        this.kv = kv;
        this.keys = keys;
        this.manifests = manifests;
        this.gate = gate;
        this.abandonedAge = abandonedAge;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Returns how many part manifests were removed. */
    int collect() {
        long cutoff = clock.millis() - abandonedAge.toMillis();
        for (KeyValue upload : uploads()) {
            UploadRecord record = UploadRecord.fromJson(upload.getValue().getBytes());
            if (record.initiated() < cutoff && gate.isLeader()) {
                boolean removed = await(kv.txn()
                        .If(new Cmp(upload.getKey(), Cmp.Op.EQUAL, CmpTarget.modRevision(upload.getModRevision())))
                        .Then(Op.delete(upload.getKey(), DeleteOption.DEFAULT)).commit()).isSucceeded();
                if (removed) {
                    log.info("Removed multipart upload {} of '{}', abandoned since {} (older than {})",
                            upload.getKey(), record.key(), java.time.Instant.ofEpochMilli(record.initiated()),
                            abandonedAge);
                }
            }
        }
        List<VersionedManifest> orphans = orphanParts(openUploads());
        if (orphans.isEmpty()) {
            return 0;
        }
        // A second look: an upload created after the first listing may already have parts in the page.
        Set<String> open = openUploads();
        int removed = 0;
        for (VersionedManifest part : orphans) {
            String upload = UploadRecord.uploadOfPart(part.manifest().key()).orElseThrow();
            if (!open.contains(upload) && gate.isLeader()
                    && manifests.deleteIf(part.manifest().key(), part.modRevision())) {
                removed++;
            }
        }
        if (removed > 0) {
            log.info("Removed {} part manifests of multipart uploads that no longer exist (their blobs are left to "
                    + "the collection)", removed);
        }
        return removed;
    }

    private List<KeyValue> uploads() {
        return await(kv.get(EtcdKeys.bytes(keys.uploadsRoot()), GetOption.builder().isPrefix(true).build())).getKvs();
    }

    private Set<String> openUploads() {
        Set<String> ids = new HashSet<>();
        ByteSequence root = EtcdKeys.bytes(keys.uploadsRoot());
        for (KeyValue upload : await(kv.get(root, GetOption.builder().isPrefix(true).withKeysOnly(true).build())).getKvs()) {
            String key = upload.getKey().toString();
            ids.add(key.substring(key.lastIndexOf('/') + 1));
        }
        return ids;
    }

    private List<VersionedManifest> orphanParts(Set<String> open) {
        List<VersionedManifest> orphans = new ArrayList<>();
        manifests.forEachUnder(UploadRecord.PARTS, PAGE, part -> {
            if (UploadRecord.uploadOfPart(part.manifest().key()).filter(open::contains).isEmpty()) {
                orphans.add(part);
            }
        });
        return orphans;
    }

    private <T> T await(CompletableFuture<T> call) {
        return EtcdCalls.await(call, timeout, "collecting multipart uploads");
    }
}
