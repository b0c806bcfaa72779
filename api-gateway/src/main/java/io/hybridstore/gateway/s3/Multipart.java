package io.hybridstore.gateway.s3;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.hybridstore.common.etcd.EtcdCalls;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.manifest.ErasureCodedPart;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.ObjectAttributes;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.manifest.Stripe;
import io.hybridstore.common.manifest.VersionIds;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.UploadRecord;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.gateway.delete.DeleteCoordinator;
import io.hybridstore.gateway.read.ByteRange;
import io.hybridstore.gateway.memory.MemoryBudget;
import io.hybridstore.gateway.read.ObjectNotFoundException;
import io.hybridstore.gateway.write.BufferedBody;
import io.hybridstore.gateway.write.CommitGuard;
import io.hybridstore.gateway.write.WriteCoordinator;
import io.hybridstore.gateway.write.WriteOutcome;
import io.hybridstore.gateway.write.WriteRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Multipart uploads. An upload is an etcd record {@code uploads/<bucket>/<upload id>}; each part is an ordinary
 * {@code ec} object written by the write coordinator under a key no client can name ({@link UploadRecord#partKey}),
 * so a part is logged, committed,
 * repaired and scrubbed like any object. Completing the upload commits one manifest whose stripes are the listed
 * parts' stripes, in order: no byte is copied. That commit also removes the upload record, and is conditional on it,
 * so an upload completes once and no part can commit after it; the parts' own manifests are then removed without
 * their blobs, which now belong to the object. Parts uploaded but not listed are deleted with their blobs.
 *
 * <p>Multipart objects are always erasure coded: stripes of several parts can be one object only in an {@code ec}
 * manifest. Their ETag is the MD5 of the parts' binary MD5s followed by {@code -N}, as S3's.
 */
final class Multipart {

    private static final Logger log = LoggerFactory.getLogger(Multipart.class);
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    private static final int MAX_PARTS = 10_000;
    private static final int PAGE = 250;

    private record Found(String bucket, String uploadId, UploadRecord upload, long modRevision) {
        ByteSequence etcdKey(EtcdKeys keys) {
            return keys.upload(bucket, uploadId);
        }
    }

    private final KV kv;
    private final EtcdKeys keys;
    private final ManifestStore manifests;
    private final Buckets buckets;
    private final WriteCoordinator writes;
    private final DeleteCoordinator deletes;
    private final MemoryBudget memory;
    private final VersionIds versionIds;
    private final Clock clock;
    private final Duration timeout;
    private final long maxPartSize;
    private final long stripedWorkingSet;

    Multipart(KV kv, EtcdKeys keys, ManifestStore manifests, Buckets buckets, WriteCoordinator writes,
              DeleteCoordinator deletes, MemoryBudget memory, VersionIds versionIds, Clock clock, Duration timeout,
              long maxPartSize, long stripedWorkingSet) {
        this.kv = kv;
        this.keys = keys;
        this.manifests = manifests;
        this.buckets = buckets;
        this.writes = writes;
        this.deletes = deletes;
        this.memory = memory;
        this.versionIds = versionIds;
        this.clock = clock;
        this.timeout = timeout;
        this.maxPartSize = maxPartSize;
        this.stripedWorkingSet = stripedWorkingSet;
    }

    byte[] create(S3Request request) {
        Buckets.Bucket bucket = buckets.requireWritable(request.bucket());
        ObjectOperations.requireValidKey(request.key());
        request.header("x-hybridstore-strategy").filter(s -> s.equals(Strategy.FIELD_HYBRID.wireName())).ifPresent(s -> {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "a multipart upload is stored ec; field_hybrid objects are "
                    + "written with one PutObject");
        });
        request.header("x-amz-storage-class").ifPresent(ObjectOperations::fromStorageClass);
        String uploadId = versionIds.next();
        UploadRecord upload = new UploadRecord(request.key(), clock.millis(),
                request.header("content-type").orElse(ObjectOperations.DEFAULT_CONTENT_TYPE),
                ObjectOperations.userMetadata(request), ObjectOperations.storedHeaders(request));
        ByteSequence key = keys.upload(bucket.name(), uploadId);
        await(kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(key, ByteSequence.from(upload.toJson()), PutOption.DEFAULT)).commit());
        return Xml.document("InitiateMultipartUploadResult").element("Bucket", bucket.name())
                .element("Key", request.key()).element("UploadId", uploadId).toBytes();
    }

    /** UploadPart: the part's bytes become an ec object of their own, committed only while the upload exists. */
    String uploadPart(S3Request request, InputStream payload, long length) {
        int partNumber = partNumber(request);
        Found found = find(request);
        Buckets.Bucket bucket = buckets.requireWritable(request.bucket());
        if (length > maxPartSize) {
            throw new S3Exception(S3Error.ENTITY_TOO_LARGE, "Your proposed upload of " + length
                    + " bytes exceeds the maximum allowed part size of " + maxPartSize + " bytes");
        }
        try (MemoryBudget.Reservation reservation = memory.reserve(0)) {
            S3Body body = new S3Body(payload, length, reservation, stripedWorkingSet, 1);
            WriteOutcome outcome = writes.write(new WriteRequest(UploadRecord.partKey(found.uploadId(), partNumber), Strategy.EC,
                    false, body, ObjectOperations.DEFAULT_CONTENT_TYPE,
                    () -> new ObjectAttributes(body.md5Hex(), Map.of(), Map.of()), whileOpen(bucket, found, false)));
            return ObjectOperations.etag(outcome.manifest());
        }
    }

    /** UploadPartCopy: an existing object, or a byte range of it, becomes a part. */
    byte[] uploadPartCopy(S3Request request, ObjectOperations objects) {
        int partNumber = partNumber(request);
        Found found = find(request);
        Buckets.Bucket bucket = buckets.requireWritable(request.bucket());
        try (MemoryBudget.Reservation reservation = memory.reserve(0)) {
            return copyPart(request, objects.readCopySource(request, reservation).bytes(), partNumber, found, bucket);
        }
    }

    private byte[] copyPart(S3Request request, byte[] source, int partNumber, Found found, Buckets.Bucket bucket) {
        byte[] bytes = source;
        Optional<String> range = request.header("x-amz-copy-source-range");
        if (range.isPresent()) {
            ByteRange r = Ranges.parse(range.get(), bytes.length);
            if (r == null) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-copy-source-range must be bytes=first-last");
            }
            bytes = java.util.Arrays.copyOfRange(bytes, (int) r.first(), (int) r.last() + 1);
        }
        byte[] part = bytes;
        String md5 = Checksums.md5Hex(part);
        WriteOutcome outcome = writes.write(new WriteRequest(UploadRecord.partKey(found.uploadId(), partNumber), Strategy.EC, false,
                new BufferedBody(part), ObjectOperations.DEFAULT_CONTENT_TYPE,
                () -> new ObjectAttributes(md5, Map.of(), Map.of()), whileOpen(bucket, found, false)));
        return Xml.document("CopyPartResult")
                .element("LastModified", BucketOperations.isoTime(outcome.manifest().createdAt()))
                .element("ETag", ObjectOperations.etag(outcome.manifest())).toBytes();
    }

    byte[] complete(S3Request request, byte[] body) {
        Found found = find(request);
        Buckets.Bucket bucket = buckets.requireWritable(request.bucket());
        List<int[]> order = new ArrayList<>();
        List<String> etags = new ArrayList<>();
        parseCompletion(body, order, etags);
        Map<Integer, VersionedManifest> uploaded = parts(found.uploadId());
        List<Stripe> stripes = new ArrayList<>();
        MessageDigest md5s = Checksums.md5();
        long size = 0;
        List<Long> sizes = new ArrayList<>();
        int k = 0;
        int m = 0;
        for (int i = 0; i < order.size(); i++) {
            int number = order.get(i)[0];
            VersionedManifest part = uploaded.get(number);
            if (part == null || !Preconditions.unquote(etags.get(i)).equals(Preconditions.unquote(ObjectOperations.etag(part.manifest())))) {
                throw new S3Exception(S3Error.INVALID_PART, "One or more of the specified parts could not be found "
                        + "or its entity tag did not match: part " + number);
            }
            Manifest manifest = part.manifest();
            if (i < order.size() - 1 && manifest.size() < MIN_PART_SIZE) {
                throw new S3Exception(S3Error.ENTITY_TOO_SMALL, "Your proposed upload is smaller than the minimum "
                        + "allowed object size: part " + number + " is " + manifest.size() + " bytes, every part but "
                        + "the last must be at least " + MIN_PART_SIZE);
            }
            md5s.update(HexFormat.of().parseHex(manifest.attributes().etag()));
            size += manifest.size();
            sizes.add(manifest.size());
            if (manifest.erasureCoded() != null) {
                k = manifest.erasureCoded().k();
                m = manifest.erasureCoded().m();
                stripes.addAll(manifest.erasureCoded().stripes());
            }
        }
        String etag = HexFormat.of().formatHex(md5s.digest()) + "-" + order.size();
        String key = Buckets.objectKey(bucket.name(), found.upload().key());
        long length = size;
        int dataShards = k;
        int parityShards = m;
        UploadRecord upload = found.upload();
        WriteOutcome outcome = writes.assemble(key, version -> new Manifest(key, version, Strategy.EC,
                upload.contentType(), length, null, clock.millis(), null,
                new ErasureCodedPart(dataShards, parityShards, length, null, stripes), null,
                new ObjectAttributes(etag, upload.metadata(), upload.headers(), sizes)), whileOpen(bucket, found, true));
        List<Integer> listed = order.stream().map(p -> p[0]).toList();
        uploaded.forEach((number, part) -> {
            if (listed.contains(number)) {
                manifests.deleteIf(part.manifest().key(), part.modRevision());
            } else {
                deleteQuietly(part.manifest().key());
            }
        });
        log.info("Completed multipart upload {} of '{}' in bucket '{}': {} parts, {} bytes", found.uploadId(),
                upload.key(), bucket.name(), order.size(), length);
        return Xml.document("CompleteMultipartUploadResult").element("Location", "/" + key)
                .element("Bucket", bucket.name()).element("Key", upload.key())
                .element("ETag", ObjectOperations.etag(outcome.manifest())).toBytes();
    }

    void abort(S3Request request) {
        Found found = find(request);
        boolean removed = await(kv.txn()
                .If(new Cmp(found.etcdKey(keys), Cmp.Op.EQUAL, CmpTarget.modRevision(found.modRevision())))
                .Then(Op.delete(found.etcdKey(keys), DeleteOption.DEFAULT)).commit()).isSucceeded();
        if (!removed) {
            throw noSuchUpload(found.uploadId());
        }
        parts(found.uploadId()).values().forEach(part -> deleteQuietly(part.manifest().key()));
        log.info("Aborted multipart upload {} of '{}' in bucket '{}'", found.uploadId(), found.upload().key(),
                found.bucket());
    }

    byte[] listParts(S3Request request) {
        Found found = find(request);
        int marker = request.intParameter("part-number-marker", 0);
        int maxParts = Math.min(1000, request.intParameter("max-parts", 1000));
        List<VersionedManifest> all = new ArrayList<>(parts(found.uploadId()).values());
        List<VersionedManifest> after = all.stream()
                .filter(p -> partNumberOf(p) > marker).limit(maxParts + 1L).toList();
        boolean truncated = after.size() > maxParts;
        List<VersionedManifest> page = truncated ? after.subList(0, maxParts) : after;
        Xml xml = Xml.document("ListPartsResult").element("Bucket", found.bucket()).element("Key", found.upload().key())
                .element("UploadId", found.uploadId()).element("StorageClass", "STANDARD")
                .element("PartNumberMarker", marker).element("MaxParts", maxParts).element("IsTruncated", truncated);
        if (truncated) {
            xml.element("NextPartNumberMarker", partNumberOf(page.getLast()));
        }
        for (VersionedManifest part : page) {
            xml.open("Part").element("PartNumber", partNumberOf(part))
                    .element("LastModified", BucketOperations.isoTime(part.manifest().createdAt()))
                    .element("ETag", ObjectOperations.etag(part.manifest()))
                    .element("Size", part.manifest().size()).close();
        }
        return xml.toBytes();
    }

    /** ListMultipartUploads: the bucket's uploads in progress (at most 1,000 a page), by upload id. */
    byte[] listUploads(S3Request request) {
        buckets.require(request.bucket());
        String prefix = request.parameter("prefix").orElse("");
        int maxUploads = Math.min(1000, request.intParameter("max-uploads", 1000));
        String after = request.parameter("upload-id-marker").orElse("");
        ByteSequence start = EtcdKeys.bytes(keys.uploadsPrefix(request.bucket()) + after + (after.isEmpty() ? "" : "\0"));
        ByteSequence end = io.etcd.jetcd.options.OptionsUtil.prefixEndOf(EtcdKeys.bytes(keys.uploadsPrefix(request.bucket())));
        List<KeyValue> found = await(kv.get(start, GetOption.builder().withRange(end).build())).getKvs();
        Xml xml = Xml.document("ListMultipartUploadsResult").element("Bucket", request.bucket())
                .element("KeyMarker", request.parameter("key-marker").orElse(""))
                .element("UploadIdMarker", after).element("MaxUploads", maxUploads);
        List<Found> uploads = found.stream().map(kv -> found(request.bucket(), kv))
                .filter(f -> f.upload().key().startsWith(prefix)).toList();
        boolean truncated = uploads.size() > maxUploads;
        List<Found> page = truncated ? uploads.subList(0, maxUploads) : uploads;
        xml.element("IsTruncated", truncated);
        if (truncated) {
            xml.element("NextKeyMarker", page.getLast().upload().key())
                    .element("NextUploadIdMarker", page.getLast().uploadId());
        }
        for (Found upload : page) {
            xml.open("Upload").element("Key", upload.upload().key()).element("UploadId", upload.uploadId())
                    .open("Initiator").element("ID", "hybridstore").element("DisplayName", "hybridstore").close()
                    .open("Owner").element("ID", "hybridstore").element("DisplayName", "hybridstore").close()
                    .element("StorageClass", "STANDARD")
                    .element("Initiated", BucketOperations.isoTime(upload.upload().initiated())).close();
        }
        return xml.toBytes();
    }

    /**
     * A part's or the completion's commit condition: the bucket's, and the upload record unchanged (it is only ever
     * removed: by Abort, or by the completion's own commit, which {@code completing} makes remove it).
     */
    private CommitGuard whileOpen(Buckets.Bucket bucket, Found found, boolean completing) {
        CommitGuard inBucket = buckets.guard(bucket, replaced -> { });
        ManifestStore.Also open = new ManifestStore.Also(
                List.of(new ManifestStore.Unchanged(found.etcdKey(keys), found.modRevision())),
                completing ? List.of(found.etcdKey(keys)) : List.of());
        return new CommitGuard() {
            private boolean retry;

            @Override
            public ManifestStore.Also check(Optional<Manifest> replaced) {
                ManifestStore.Also also = inBucket.check(replaced).and(open);
                if (retry && find(found.bucket(), found.uploadId())
                        .filter(now -> now.modRevision() == found.modRevision()).isEmpty()) {
                    throw noSuchUpload(found.uploadId());
                }
                retry = true;
                return also;
            }
        };
    }

    private Found find(S3Request request) {
        String uploadId = request.parameter("uploadId").orElseThrow();
        Found found = find(request.bucket(), uploadId).orElseThrow(() -> noSuchUpload(uploadId));
        if (!found.upload().key().equals(request.key())) {
            throw noSuchUpload(uploadId);
        }
        return found;
    }

    private Optional<Found> find(String bucket, String uploadId) {
        if (!uploadId.matches("[0-9A-Za-z._-]{1,128}")) {
            return Optional.empty();
        }
        return await(kv.get(keys.upload(bucket, uploadId))).getKvs().stream().findFirst().map(kv -> found(bucket, kv));
    }

    private Found found(String bucket, KeyValue kv) {
        String uploadId = kv.getKey().toString().substring(keys.uploadsPrefix(bucket).length());
        return new Found(bucket, uploadId, UploadRecord.fromJson(kv.getValue().getBytes()), kv.getModRevision());
    }

    /** The upload's committed parts, by part number. */
    private Map<Integer, VersionedManifest> parts(String uploadId) {
        Map<Integer, VersionedManifest> parts = new java.util.TreeMap<>();
        manifests.forEachUnder(UploadRecord.partsPrefix(uploadId), PAGE, p -> parts.put(partNumberOf(p), p));
        return parts;
    }

    private static int partNumberOf(VersionedManifest part) {
        return UploadRecord.partNumber(part.manifest().key());
    }

    private void deleteQuietly(String key) {
        try {
            deletes.delete(key, Optional.empty());
        } catch (ObjectNotFoundException e) {
            // Gone already: what was asked for.
        }
    }

    private static void parseCompletion(byte[] body, List<int[]> order, List<String> etags) {
        Element root = Xml.parse(body, Multipart::malformed).getDocumentElement();
        if (!root.getLocalName().equals("CompleteMultipartUpload")) {
            throw malformed();
        }
        int previous = 0;
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (!(child instanceof Element part) || !part.getLocalName().equals("Part")) {
                continue;
            }
            List<String> numbers = Xml.texts(part, "PartNumber");
            List<String> tags = Xml.texts(part, "ETag");
            if (numbers.size() != 1 || tags.size() != 1) {
                throw malformed();
            }
            int number;
            try {
                number = Integer.parseInt(numbers.getFirst().strip());
            } catch (NumberFormatException e) {
                throw malformed();
            }
            if (number <= previous) {
                throw new S3Exception(S3Error.INVALID_PART_ORDER, "The list of parts was not in ascending order: "
                        + "part " + number + " after part " + previous);
            }
            previous = number;
            order.add(new int[]{number});
            etags.add(tags.getFirst().strip());
        }
        if (order.isEmpty() || order.size() > MAX_PARTS) {
            throw malformed();
        }
    }

    private static int partNumber(S3Request request) {
        int number = request.intParameter("partNumber", -1);
        if (number < 1 || number > MAX_PARTS) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "Part number must be an integer between 1 and "
                    + MAX_PARTS + ", inclusive");
        }
        return number;
    }

    private static S3Exception noSuchUpload(String uploadId) {
        return new S3Exception(S3Error.NO_SUCH_UPLOAD, "The specified multipart upload does not exist: '" + uploadId
                + "' (it may have been aborted or completed)");
    }

    private static S3Exception malformed() {
        return new S3Exception(S3Error.MALFORMED_XML, "The XML you provided was not well-formed or did not validate "
                + "against our published schema (a <CompleteMultipartUpload> of 1 to " + MAX_PARTS
                + " <Part><PartNumber><ETag>)");
    }

    private <T> T await(CompletableFuture<T> call) {
        return EtcdCalls.await(call, timeout, "reading or changing multipart uploads");
    }
}
