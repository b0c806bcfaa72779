package io.hybridstore.common.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.OptionsUtil;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The etcd key layout, all under one prefix (default {@code /hybridstore/}). A manifest's etcd key is its object key's
 * UTF-8 bytes as they are, after {@code objects/}: nothing else lives below that prefix, so a '/' in a key cannot be
 * confused with the layout, and manifests sort in the byte order of their keys, which makes a listing by key prefix
 * (an S3 bucket, a folder in it) one etcd range read in the order S3 lists.
 */
public record EtcdKeys(String prefix) {

    public static final String DEFAULT_PREFIX = "/hybridstore/";

    public EtcdKeys {
        if (prefix == null || prefix.isEmpty()) {
            prefix = DEFAULT_PREFIX;
        }
        if (!prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
    }

    public ByteSequence object(String key) {
        return bytes(objectsPrefix() + key);
    }

    /** Where a listing resumes after {@code key}: the first etcd key above its manifest's. */
    public ByteSequence objectAfter(String key) {
        return bytes(objectsPrefix() + key + "\0");
    }

    /** Where a listing resumes past every key that starts with {@code keyPrefix}. */
    public ByteSequence objectAfterAll(String keyPrefix) {
        return OptionsUtil.prefixEndOf(object(keyPrefix));
    }

    /** The object key a manifest's etcd key ({@link #object}) stands for. */
    public String objectKey(ByteSequence etcdKey) {
        return etcdKey.toString(StandardCharsets.UTF_8).substring(objectsPrefix().length());
    }

    /** A bucket of the S3 API: its settings, present while the bucket exists. */
    public ByteSequence bucket(String name) {
        return bytes(bucketsPrefix() + name);
    }

    public String bucketsPrefix() {
        return prefix + "buckets/";
    }

    /** An S3 multipart upload in progress: the key it completes and what the object will carry. */
    public ByteSequence upload(String bucket, String uploadId) {
        return bytes(uploadsPrefix(bucket) + uploadId);
    }

    public String uploadsPrefix(String bucket) {
        return uploadsRoot() + bucket + "/";
    }

    /** Every bucket's uploads. */
    public String uploadsRoot() {
        return prefix + "uploads/";
    }

    public String objectsPrefix() {
        return prefix + "objects/";
    }

    /**
     * The fence of a write version the healer rolled back: while it exists, no commit of that version can succeed,
     * so a gateway that stalled past the zombie timeout can never commit blobs the healer already deleted.
     */
    public ByteSequence rolledBackVersion(String version) {
        return bytes(rolledBackPrefix() + version);
    }

    public String rolledBackPrefix() {
        return prefix + "rolled-back/";
    }

    /** A gateway's report that {@code key} was read around bad blobs; the healer repairs it before its scan. */
    public ByteSequence repairHint(String key) {
        return bytes(repairHintsPrefix() + URLEncoder.encode(key, StandardCharsets.UTF_8));
    }

    public String repairHintsPrefix() {
        return prefix + "repair/";
    }

    /** The object key a repair hint's etcd key ({@link #repairHint}) names. */
    public String repairHintObjectKey(String etcdKey) {
        return URLDecoder.decode(etcdKey.substring(repairHintsPrefix().length()), StandardCharsets.UTF_8);
    }

    /** Where the leader healer keeps the position {@code name} of one of its sweeps, for the next leader. */
    public ByteSequence healerCursor(String name) {
        return bytes(prefix + "healer/" + name);
    }

    /**
     * The receipt of a delete, under the id of the client request that made it ({@code X-Request-Id}, which nginx
     * sends unchanged on every attempt): a repeat of the request on another gateway finds the receipt and answers
     * what the first attempt did. Written in the delete's own commit, under a lease that expires it.
     */
    public ByteSequence deleteReceipt(String requestId) {
        return bytes(prefix + "delete-receipts/" + requestId);
    }

    /**
     * One gateway's running totals of field_hybrid overwrites in a collection and of the fields they changed; the
     * collection's statistics are the sum over its gateways, so no two gateways ever write the same key.
     */
    public ByteSequence collectionStats(String collection, String gatewayId) {
        return bytes(collectionStatsPrefix(collection) + URLEncoder.encode(gatewayId, StandardCharsets.UTF_8));
    }

    public String collectionStatsPrefix(String collection) {
        return prefix + "field-stats/" + URLEncoder.encode(collection, StandardCharsets.UTF_8) + "/";
    }

    /**
     * A collection's learned hot fields, the totals they were decided at, and its operator's overrides: apart from
     * the statistics, so that gateways watching for new decisions are not woken by every publish.
     */
    public ByteSequence collectionHotFields(String collection) {
        return bytes(hotFieldsPrefix() + URLEncoder.encode(collection, StandardCharsets.UTF_8));
    }

    public String hotFieldsPrefix() {
        return prefix + "hot-fields/";
    }

    /** The collection a {@link #collectionHotFields} key names. */
    public String hotFieldsCollection(ByteSequence etcdKey) {
        return URLDecoder.decode(etcdKey.toString(StandardCharsets.UTF_8).substring(hotFieldsPrefix().length()),
                StandardCharsets.UTF_8);
    }

    /** A client access key: what it may do, and its secret sealed with a key derived from the cluster secret. */
    public ByteSequence accessKey(String id) {
        return bytes(accessKeysPrefix() + id);
    }

    public String accessKeysPrefix() {
        return prefix + "access-keys/";
    }

    public ByteSequence node(String nodeId) {
        return bytes(nodesPrefix() + nodeId);
    }

    public String nodesPrefix() {
        return prefix + "nodes/";
    }

    /** The etcd election name the healers campaign on. */
    public ByteSequence healerElection() {
        return bytes(prefix + "healer/leader");
    }

    public static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
