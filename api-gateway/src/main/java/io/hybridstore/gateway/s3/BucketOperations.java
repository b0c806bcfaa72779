package io.hybridstore.gateway.s3;

import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.manifest.Strategy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, GetBucketVersioning and the listings. */
final class BucketOperations {

    private static final String OWNER = "hybridstore";
    private static final DateTimeFormatter ISO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Buckets buckets;
    private final Listing listing;
    private final S3Properties properties;

    BucketOperations(Buckets buckets, Listing listing, S3Properties properties) {
        this.buckets = buckets;
        this.listing = listing;
        this.properties = properties;
    }

    /** ListBuckets: those the caller {@code reaches}. */
    byte[] listBuckets(Predicate<String> reaches) {
        Xml xml = Xml.document("ListAllMyBucketsResult");
        owner(xml);
        xml.open("Buckets");
        for (Buckets.Bucket bucket : buckets.list().stream().filter(b -> reaches.test(b.name())).toList()) {
            xml.open("Bucket").element("Name", bucket.name())
                    .element("CreationDate", isoTime(bucket.settings().createdAt())).close();
        }
        return xml.toBytes();
    }

    /** CreateBucket; its default strategy from {@code x-hybridstore-strategy}, else {@code hybridstore.s3.default-strategy}. */
    void create(S3Request request) {
        String name = request.header("x-hybridstore-strategy").orElse(properties.defaultStrategy());
        Strategy strategy = Strategy.fromWireName(name).orElseThrow(() -> new S3Exception(S3Error.INVALID_ARGUMENT,
                "x-hybridstore-strategy must be replication, ec or field_hybrid, not '" + name + "'"));
        if (!buckets.create(request.bucket(), strategy)) {
            throw new S3Exception(S3Error.BUCKET_ALREADY_OWNED_BY_YOU, "Your previous request to create the named "
                    + "bucket succeeded and you already own it: '" + request.bucket() + "'");
        }
    }

    void head(S3Request request) {
        buckets.require(request.bucket());
    }

    void delete(S3Request request) {
        buckets.delete(request.bucket());
    }

    byte[] location(S3Request request) {
        buckets.require(request.bucket());
        return Xml.document("LocationConstraint")
                .text(properties.region().equals("us-east-1") ? "" : properties.region()).toBytes();
    }

    byte[] versioning(S3Request request) {
        buckets.require(request.bucket());
        return Xml.document("VersioningConfiguration").toBytes();
    }

    /** ListObjectsV2, or ListObjects (v1) without {@code list-type=2}. */
    byte[] listObjects(S3Request request) {
        buckets.require(request.bucket());
        boolean v2 = request.parameter("list-type").filter("2"::equals).isPresent();
        String prefix = request.parameter("prefix").orElse("");
        String delimiter = request.parameter("delimiter").orElse("");
        int maxKeys = maxKeys(request);
        UnaryOperator<String> encode = encoding(request);
        Optional<String> token = request.parameter("continuation-token");
        String after = v2
                ? token.map(BucketOperations::fromToken).orElse(request.parameter("start-after").orElse(""))
                : request.parameter("marker").orElse("");
        Listing.Page page = listing.list(request.bucket(), prefix, delimiter, after, maxKeys);

        Xml xml = Xml.document("ListBucketResult");
        xml.element("Name", request.bucket()).element("Prefix", encode.apply(prefix));
        if (v2) {
            token.ifPresent(t -> xml.element("ContinuationToken", t));
            request.parameter("start-after").ifPresent(s -> xml.element("StartAfter", encode.apply(s)));
            xml.element("KeyCount", page.items().size());
        } else {
            xml.element("Marker", encode.apply(after));
        }
        xml.element("MaxKeys", maxKeys);
        if (!delimiter.isEmpty()) {
            xml.element("Delimiter", encode.apply(delimiter));
        }
        request.parameter("encoding-type").ifPresent(type -> xml.element("EncodingType", type));
        xml.element("IsTruncated", page.truncated());
        if (page.truncated()) {
            if (v2) {
                xml.element("NextContinuationToken", toToken(page.next()));
            } else if (!delimiter.isEmpty()) {
                xml.element("NextMarker", encode.apply(page.next()));
            }
        }
        for (Listing.Item item : page.contents()) {
            xml.open("Contents").element("Key", encode.apply(item.key()));
            entry(xml, item.manifest());
            if (!v2 || request.parameter("fetch-owner").filter("true"::equals).isPresent()) {
                owner(xml);
            }
            xml.close();
        }
        commonPrefixes(xml, page, encode);
        return xml.toBytes();
    }

    /** ListObjectVersions of an unversioned bucket: every object once, as version {@code null}, as AWS lists them. */
    byte[] listVersions(S3Request request) {
        buckets.require(request.bucket());
        String prefix = request.parameter("prefix").orElse("");
        String delimiter = request.parameter("delimiter").orElse("");
        String after = request.parameter("key-marker").orElse("");
        int maxKeys = maxKeys(request);
        UnaryOperator<String> encode = encoding(request);
        Listing.Page page = listing.list(request.bucket(), prefix, delimiter, after, maxKeys);

        Xml xml = Xml.document("ListVersionsResult");
        xml.element("Name", request.bucket()).element("Prefix", encode.apply(prefix))
                .element("KeyMarker", encode.apply(after)).element("VersionIdMarker", "")
                .element("MaxKeys", maxKeys);
        if (!delimiter.isEmpty()) {
            xml.element("Delimiter", encode.apply(delimiter));
        }
        request.parameter("encoding-type").ifPresent(type -> xml.element("EncodingType", type));
        xml.element("IsTruncated", page.truncated());
        if (page.truncated()) {
            xml.element("NextKeyMarker", encode.apply(page.next())).element("NextVersionIdMarker", "null");
        }
        for (Listing.Item item : page.contents()) {
            xml.open("Version").element("Key", encode.apply(item.key())).element("VersionId", "null")
                    .element("IsLatest", true);
            entry(xml, item.manifest());
            owner(xml);
            xml.close();
        }
        commonPrefixes(xml, page, encode);
        return xml.toBytes();
    }

    private static void entry(Xml xml, Manifest manifest) {
        xml.element("LastModified", isoTime(manifest.createdAt()))
                .element("ETag", ObjectOperations.etag(manifest))
                .element("Size", manifest.size())
                .element("StorageClass", ObjectOperations.storageClass(manifest.strategy()));
    }

    private static void commonPrefixes(Xml xml, Listing.Page page, UnaryOperator<String> encode) {
        for (String common : page.commonPrefixes()) {
            xml.open("CommonPrefixes").element("Prefix", encode.apply(common)).close();
        }
    }

    private static void owner(Xml xml) {
        xml.open("Owner").element("ID", OWNER).element("DisplayName", OWNER).close();
    }

    private int maxKeys(S3Request request) {
        return Math.min(request.intParameter("max-keys", properties.maxKeys()), properties.maxKeys());
    }

    private static UnaryOperator<String> encoding(S3Request request) {
        Optional<String> type = request.parameter("encoding-type");
        if (type.isEmpty()) {
            return UnaryOperator.identity();
        }
        if (!type.get().equals("url")) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request: '"
                    + type.get() + "' (only 'url')");
        }
        return s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static String toToken(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String fromToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "The continuation token provided is incorrect");
        }
    }

    static String isoTime(long millis) {
        return ISO_TIME.format(Instant.ofEpochMilli(millis));
    }
}
