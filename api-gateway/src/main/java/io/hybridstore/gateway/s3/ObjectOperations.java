package io.hybridstore.gateway.s3;

import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.ObjectAttributes;
import io.hybridstore.common.manifest.Strategy;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.VersionedManifest;
import io.hybridstore.gateway.GatewayProperties;
import io.hybridstore.gateway.api.JsonObjectCheck;
import io.hybridstore.gateway.delete.DeleteCoordinator;
import io.hybridstore.gateway.memory.MemoryBudget;
import io.hybridstore.gateway.read.ByteRange;
import io.hybridstore.gateway.read.FieldList;
import io.hybridstore.gateway.read.NotAnObjectException;
import io.hybridstore.gateway.read.ObjectNotFoundException;
import io.hybridstore.gateway.read.ReadCoordinator;
import io.hybridstore.gateway.read.ReadTarget;
import io.hybridstore.gateway.write.BufferedBody;
import io.hybridstore.gateway.write.WriteCoordinator;
import io.hybridstore.gateway.write.WriteOutcome;
import io.hybridstore.gateway.write.WriteRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * PutObject, GetObject, HeadObject, DeleteObject over the same write, read and delete coordinators as the native
 * API: an S3 object is the native object {@code bucket/key}, with what S3 keeps beside the bytes (ETag, content
 * headers, user metadata) in its manifest's attributes.
 */
final class ObjectOperations {

    /** The content headers S3 stores with an object and returns on every read. */
    static final List<String> STORED_HEADERS = List.of("cache-control", "content-disposition", "content-encoding",
            "content-language", "expires");
    private static final String META = "x-amz-meta-";
    /** GetObject's projection parameter, HybridStore's own. */
    static final String FIELDS = "x-hybridstore-fields";
    static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    private static final long MAX_METADATA_BYTES = 2048;

    private final WriteCoordinator writes;
    private final ReadCoordinator reads;
    private final DeleteCoordinator deletes;
    private final ManifestStore manifests;
    private final Buckets buckets;
    private final MemoryBudget memory;
    private final GatewayProperties gateway;
    private final long stripedWriteWorkingSet;
    private final JsonObjectCheck jsonCheck;

    ObjectOperations(WriteCoordinator writes, ReadCoordinator reads, DeleteCoordinator deletes,
                     ManifestStore manifests, Buckets buckets, MemoryBudget memory, GatewayProperties gateway) {
        this.writes = writes;
        this.reads = reads;
        this.deletes = deletes;
        this.manifests = manifests;
        this.buckets = buckets;
        this.memory = memory;
        this.gateway = gateway;
        this.stripedWriteWorkingSet = gateway.ec().stripedWriteWorkingSet();
        this.jsonCheck = new JsonObjectCheck(gateway.maxJsonDepth(), gateway.maxBodySize().toBytes());
    }

    /** What a write that streams its body into stripes holds at most. */
    long stripedWriteWorkingSet() {
        return stripedWriteWorkingSet;
    }

    void put(S3Request request, InputStream payload, long length, HttpServletResponse response) {
        Buckets.Bucket bucket = buckets.requireWritable(request.bucket());
        requireValidKey(request.key());
        long limit = gateway.maxBodySize().toBytes();
        if (length > limit) {
            throw new S3Exception(S3Error.ENTITY_TOO_LARGE, "Your proposed upload of " + length
                    + " bytes exceeds the maximum allowed object size of " + limit + " bytes");
        }
        String contentType = request.header("content-type").orElse(DEFAULT_CONTENT_TYPE);
        Strategy strategy = length == 0 ? Strategy.REPLICATION : strategy(request, bucket, contentType, Optional.empty());
        String key = Buckets.objectKey(bucket.name(), request.key());
        Consumer<Optional<Manifest>> condition = conditionChecked(request, key);
        Map<String, String> metadata = userMetadata(request);
        Map<String, String> headers = storedHeaders(request);
        int copies = strategy == Strategy.FIELD_HYBRID ? 3 : 1;
        try (MemoryBudget.Reservation reservation = memory.reserve(0)) {
            S3Body body = new S3Body(payload, length, reservation, stripedWriteWorkingSet, copies);
            WriteOutcome outcome = writes.write(new WriteRequest(key, strategy, false,
                    strategy == Strategy.FIELD_HYBRID ? new JsonBody(body, jsonCheck) : body, contentType,
                    () -> new ObjectAttributes(body.md5Hex(), metadata, headers), buckets.guard(bucket, condition)));
            response.setStatus(200);
            response.setHeader("ETag", etag(outcome.manifest()));
        }
    }

    /**
     * A conditional PUT's check, made once before any blob is written (a write that cannot commit should not
     * write), and again by every commit attempt against the version it would replace.
     */
    private Consumer<Optional<Manifest>> conditionChecked(S3Request request, String key) {
        Optional<Consumer<Optional<Manifest>>> condition = Preconditions.forWrite(request);
        condition.ifPresent(check -> check.accept(manifests.get(key).map(VersionedManifest::manifest)));
        return condition.orElse(replaced -> { });
    }

    /**
     * CopyObject: the source is read whole (an object is at most {@code max-body-size}) and written as a new object,
     * with the source's headers and metadata (x-amz-metadata-directive COPY, the default) or the request's
     * (REPLACE, which also allows copying an object onto itself to change its metadata).
     */
    byte[] copy(S3Request request) {
        Buckets.Bucket bucket = buckets.requireWritable(request.bucket());
        requireValidKey(request.key());
        String directive = request.header("x-amz-metadata-directive").orElse("COPY");
        if (!directive.equals("COPY") && !directive.equals("REPLACE")) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "Unknown metadata directive '" + directive + "'");
        }
        String key = Buckets.objectKey(bucket.name(), request.key());
        boolean replace = directive.equals("REPLACE");
        try (MemoryBudget.Reservation reservation = memory.reserve(0)) {
            Copied source = readCopySource(request, reservation);
            Manifest manifest = source.manifest();
            if (key.equals(manifest.key()) && !replace && request.header("x-hybridstore-strategy").isEmpty()
                    && request.header("x-amz-storage-class").isEmpty()) {
                throw new S3Exception(S3Error.INVALID_REQUEST, "This copy request is illegal because it is trying to "
                        + "copy an object to itself without changing the object's metadata, storage class, website "
                        + "redirect location or encryption attributes.");
            }
            ObjectAttributes stored = manifest.attributes();
            String contentType = replace ? request.header("content-type").orElse(DEFAULT_CONTENT_TYPE)
                    : manifest.contentType() == null ? DEFAULT_CONTENT_TYPE : manifest.contentType();
            Map<String, String> metadata = replace ? userMetadata(request) : stored == null ? Map.of() : stored.metadata();
            Map<String, String> headers = replace ? storedHeaders(request) : stored == null ? Map.of() : stored.headers();
            Strategy strategy = manifest.size() == 0 ? Strategy.REPLICATION
                    : strategy(request, bucket, contentType, Optional.of(manifest.strategy()));
            Consumer<Optional<Manifest>> condition = conditionChecked(request, key);
            byte[] value = source.bytes();
            String md5 = Checksums.md5Hex(value);
            WriteOutcome outcome = writes.write(new WriteRequest(key, strategy, false,
                    strategy == Strategy.FIELD_HYBRID ? new JsonBody(new BufferedBody(value), jsonCheck)
                            : new BufferedBody(value), contentType,
                    () -> new ObjectAttributes(md5, metadata, headers), buckets.guard(bucket, condition)));
            return Xml.document("CopyObjectResult")
                    .element("LastModified", BucketOperations.isoTime(outcome.manifest().createdAt()))
                    .element("ETag", etag(outcome.manifest())).toBytes();
        }
    }

    /** A copy's source, read whole. */
    record Copied(Manifest manifest, byte[] bytes) {
    }

    /**
     * The object {@code x-amz-copy-source} names, read whole (an object is at most {@code max-body-size}) into
     * {@code reservation}, once its x-amz-copy-source-if-* conditions hold.
     */
    Copied readCopySource(S3Request request, MemoryBudget.Reservation reservation) {
        CopySource source = CopySource.parse(request.header("x-amz-copy-source").orElseThrow());
        buckets.require(source.bucket());
        Manifest manifest = manifests.get(Buckets.objectKey(source.bucket(), source.key()))
                .map(VersionedManifest::manifest)
                .orElseThrow(() -> new S3Exception(S3Error.NO_SUCH_KEY, "The specified key does not exist: '"
                        + source.key() + "'"));
        Preconditions.checkCopySource(request, etag(manifest), manifest.createdAt());
        reservation.grow(2 * manifest.size());
        return new Copied(manifest, manifest.size() == 0 ? new byte[0] : reads.value(manifest));
    }

    /** The native key of the object {@code x-amz-copy-source} names, if the request has one. */
    static Optional<String> copySourceKey(S3Request request) {
        return request.header("x-amz-copy-source").map(CopySource::parse)
                .map(source -> Buckets.objectKey(source.bucket(), source.key()));
    }

    /** x-amz-copy-source: {@code [/]bucket/key[?versionId=null]}, percent-encoded. */
    private record CopySource(String bucket, String key) {

        static CopySource parse(String header) {
            String source = header.startsWith("/") ? header.substring(1) : header;
            int query = source.indexOf('?');
            if (query >= 0) {
                String version = source.substring(query + 1);
                if (!version.equals("versionId=null")) {
                    throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid version id specified: buckets are "
                            + "unversioned");
                }
                source = source.substring(0, query);
            }
            String decoded = S3Request.decode(source);
            int slash = decoded.indexOf('/');
            if (slash <= 0 || slash == decoded.length() - 1) {
                throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-copy-source must be bucket/key, not '"
                        + header + "'");
            }
            return new CopySource(decoded.substring(0, slash), decoded.substring(slash + 1));
        }
    }

    /**
     * GetObject with {@value #FIELDS}: the named top-level fields of a JSON object, as the native API's
     * {@code ?fields=} (from one hot replica alone when they are all hot; {@code x-hybridstore-parts} says which
     * parts were read). The answer is not the object, so it carries no ETag, and a Range is refused.
     */
    private void project(S3Request request, HttpServletResponse response, String key, String list) throws IOException {
        if (request.header("range").isPresent()) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, FIELDS + " and Range cannot be combined");
        }
        ReadCoordinator.Projection projection;
        try {
            projection = reads.project(key, FieldList.parse(list));
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, e.getMessage());
        } catch (ObjectNotFoundException e) {
            throw noSuchKey(request);
        } catch (NotAnObjectException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, e.getMessage());
        }
        response.setStatus(200);
        response.setContentType("application/json");
        response.setHeader("x-hybridstore-strategy", projection.manifest().strategy().wireName());
        response.setHeader("x-hybridstore-parts", projection.parts());
        response.setHeader("Last-Modified", Preconditions.httpDate(projection.manifest().createdAt()));
        response.setContentLength(projection.json().length);
        response.getOutputStream().write(projection.json());
    }

    /** GetObject, or with {@code head} HeadObject, which answers the same headers and reads no blob. */
    void get(S3Request request, HttpServletResponse response, boolean head) throws IOException {
        buckets.requireSeen(request.bucket());
        requireNullVersion(request);
        String key = Buckets.objectKey(request.bucket(), request.key());
        if (head) {
            Manifest manifest = manifests.get(key).map(VersionedManifest::manifest)
                    .orElseThrow(() -> noSuchKey(request));
            ByteRange range = checked(request, manifest);
            headers(request, response, manifest, range, false);
            response.setContentLengthLong(range == null ? manifest.size() : range.length());
            return;
        }
        Optional<String> fields = request.parameter(FIELDS);
        if (fields.isPresent()) {
            project(request, response, key, fields.get());
            return;
        }
        try {
            reads.read(key, new ReadTarget() {
                private ByteRange range;

                @Override
                public Optional<ByteRange> range(Manifest manifest) {
                    range = checked(request, manifest);
                    return Optional.ofNullable(range);
                }

                @Override
                public OutputStream open(Manifest manifest, long length) throws IOException {
                    headers(request, response, manifest, range, true);
                    response.setContentLengthLong(length);
                    return response.getOutputStream();
                }
            });
        } catch (ObjectNotFoundException e) {
            throw noSuchKey(request);
        }
    }

    void delete(S3Request request, HttpServletResponse response) {
        buckets.require(request.bucket());
        requireNullVersion(request);
        deleteQuietly(request.bucket(), request.key());
        response.setStatus(204);
    }

    /** Deletes the object if it exists: S3 answers a delete of a missing key as a success. */
    void deleteQuietly(String bucket, String key) {
        try {
            deletes.delete(Buckets.objectKey(bucket, key), Optional.empty());
        } catch (ObjectNotFoundException e) {
            // Already gone is what the client asked for.
        }
    }

    /**
     * What a read checks before any byte is fetched: its preconditions (304, 412) and its range (416). Returns the
     * range, or null for the whole object.
     */
    private static ByteRange checked(S3Request request, Manifest manifest) {
        Preconditions.check(request, etag(manifest), manifest.createdAt());
        return partOrRange(request, manifest);
    }

    /** The status and headers of a read: the object's stored headers, then GetObject's response-* overrides. */
    private static void headers(S3Request request, HttpServletResponse response, Manifest manifest, ByteRange range,
                                boolean get) {
        response.setStatus(range == null ? 200 : 206);
        response.setHeader("ETag", etag(manifest));
        response.setHeader("Last-Modified", Preconditions.httpDate(manifest.createdAt()));
        response.setHeader("Accept-Ranges", "bytes");
        if (manifest.strategy() == Strategy.REPLICATION) {
            // AWS names the storage class only when it is not STANDARD.
            response.setHeader("x-amz-storage-class", storageClass(manifest.strategy()));
        }
        response.setHeader("x-hybridstore-strategy", manifest.strategy().wireName());
        response.setContentType(manifest.contentType() == null ? DEFAULT_CONTENT_TYPE : manifest.contentType());
        ObjectAttributes attributes = manifest.attributes();
        if (attributes != null) {
            attributes.headers().forEach(response::setHeader);
            attributes.metadata().forEach((name, value) -> response.setHeader(META + name, value));
        }
        if (range != null) {
            response.setHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + manifest.size());
        }
        if (request.has("partNumber") && !parts(manifest).isEmpty()) {
            response.setHeader("x-amz-mp-parts-count", Integer.toString(parts(manifest).size()));
        }
        if (get) {
            overrides(request, response);
        }
    }

    /**
     * {@code partNumber} names one part of a multipart object (its byte range), or part 1 of any other, which is
     * the whole object; otherwise the Range header's range; null for the whole object.
     */
    private static ByteRange partOrRange(S3Request request, Manifest manifest) {
        Optional<String> part = request.parameter("partNumber");
        if (part.isEmpty()) {
            return request.header("range").map(header -> Ranges.parse(header, manifest.size())).orElse(null);
        }
        List<Long> parts = parts(manifest);
        int number;
        try {
            number = Integer.parseInt(part.get());
        } catch (NumberFormatException e) {
            number = 0;
        }
        if (number < 1 || number > Math.max(1, parts.size())) {
            throw new S3Exception(S3Error.INVALID_PART_NUMBER, "The requested partnumber is not satisfiable: the "
                    + "object has " + Math.max(1, parts.size()) + " part(s)");
        }
        if (parts.isEmpty() || manifest.size() == 0) {
            return null;
        }
        long first = parts.subList(0, number - 1).stream().mapToLong(Long::longValue).sum();
        return new ByteRange(first, first + parts.get(number - 1) - 1);
    }

    private static List<Long> parts(Manifest manifest) {
        return manifest.attributes() == null ? List.of() : manifest.attributes().parts();
    }

    /** GetObject's response-* parameters replace the stored headers in this one answer. */
    private static void overrides(S3Request request, HttpServletResponse response) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("response-content-type", "Content-Type");
        names.put("response-content-language", "Content-Language");
        names.put("response-expires", "Expires");
        names.put("response-cache-control", "Cache-Control");
        names.put("response-content-disposition", "Content-Disposition");
        names.put("response-content-encoding", "Content-Encoding");
        names.forEach((parameter, header) -> request.parameter(parameter).ifPresent(value -> {
            if (header.equals("Content-Type")) {
                response.setContentType(value);
            } else {
                response.setHeader(header, value);
            }
        }));
    }

    /**
     * The ETag: an S3 write's MD5; an object written through the native API has none, so its version id stands in
     * (it changes exactly when the object does, which is what clients use an ETag for).
     */
    static String etag(Manifest manifest) {
        ObjectAttributes attributes = manifest.attributes();
        return "\"" + (attributes != null && attributes.etag() != null ? attributes.etag() : manifest.version()) + "\"";
    }

    static String storageClass(Strategy strategy) {
        return strategy == Strategy.REPLICATION ? "REDUCED_REDUNDANCY" : "STANDARD";
    }

    /**
     * {@code x-hybridstore-strategy} names one explicitly; else {@code x-amz-storage-class} maps to one
     * (STANDARD: ec, REDUCED_REDUNDANCY: replication); else a copy keeps its source's; else the bucket's default. {@code field_hybrid} splits a JSON
     * object by field, so it takes {@code application/json} bodies only.
     */
    private static Strategy strategy(S3Request request, Buckets.Bucket bucket, String contentType,
                                     Optional<Strategy> copied) {
        Strategy strategy = request.header("x-hybridstore-strategy")
                .map(name -> Strategy.fromWireName(name).orElseThrow(() -> new S3Exception(S3Error.INVALID_ARGUMENT,
                        "x-hybridstore-strategy must be replication, ec or field_hybrid, not '" + name + "'")))
                .or(() -> request.header("x-amz-storage-class").map(ObjectOperations::fromStorageClass))
                .or(() -> copied)
                .orElse(bucket.defaultStrategy());
        boolean json = contentType.toLowerCase(Locale.ROOT).split(";")[0].strip().equals(WriteRequest.JSON);
        if (strategy == Strategy.FIELD_HYBRID && !json) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "field_hybrid stores JSON objects: send Content-Type "
                    + "application/json, or choose replication or ec");
        }
        return strategy;
    }

    static Strategy fromStorageClass(String storageClass) {
        return switch (storageClass) {
            case "STANDARD" -> Strategy.EC;
            case "REDUCED_REDUNDANCY" -> Strategy.REPLICATION;
            default -> throw new S3Exception(S3Error.INVALID_STORAGE_CLASS, "The storage class you specified is not "
                    + "valid: '" + storageClass + "' (STANDARD or REDUCED_REDUNDANCY)");
        };
    }

    static Map<String, String> userMetadata(S3Request request) {
        Map<String, String> metadata = new LinkedHashMap<>();
        long bytes = 0;
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            if (header.getKey().startsWith(META)) {
                String value = String.join(",", header.getValue());
                metadata.put(header.getKey().substring(META.length()), value);
                bytes += header.getKey().length() - META.length() + value.length();
            }
        }
        if (bytes > MAX_METADATA_BYTES) {
            throw new S3Exception(S3Error.METADATA_TOO_LARGE, "Your metadata headers exceed the maximum allowed "
                    + "metadata size of " + MAX_METADATA_BYTES + " bytes");
        }
        return metadata;
    }

    /**
     * The content headers to store. {@code aws-chunked} in Content-Encoding names how this request's body was
     * framed, not how the object is encoded, so it is not kept (S3 drops it too).
     */
    static Map<String, String> storedHeaders(S3Request request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : STORED_HEADERS) {
            request.header(name).ifPresent(value -> headers.put(name, value));
        }
        String encoding = headers.get("content-encoding");
        if (encoding != null) {
            String kept = java.util.Arrays.stream(encoding.split(",")).map(String::strip)
                    .filter(e -> !e.isEmpty() && !e.equalsIgnoreCase("aws-chunked"))
                    .collect(java.util.stream.Collectors.joining(", "));
            if (kept.isEmpty()) {
                headers.remove("content-encoding");
            } else {
                headers.put("content-encoding", kept);
            }
        }
        return headers;
    }

    static void requireValidKey(String key) {
        if (key.isEmpty()) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "an object key is required");
        }
        if (key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1024) {
            throw new S3Exception(S3Error.KEY_TOO_LONG, "Your key is too long: at most 1024 bytes of UTF-8");
        }
    }

    /** Buckets are unversioned: the one version of every object is {@code null}, as AWS names it. */
    static void requireNullVersion(S3Request request) {
        request.parameter("versionId").filter(id -> !id.equals("null")).ifPresent(id -> {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid version id specified: buckets are unversioned, "
                    + "the only version is 'null'");
        });
    }

    private static S3Exception noSuchKey(S3Request request) {
        return new S3Exception(S3Error.NO_SUCH_KEY, "The specified key does not exist: '" + request.key() + "'");
    }
}
