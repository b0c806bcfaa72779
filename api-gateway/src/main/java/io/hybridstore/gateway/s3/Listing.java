package io.hybridstore.gateway.s3;

import io.etcd.jetcd.ByteSequence;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.manifest.Manifest;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.metadata.VersionedManifest;

import java.util.ArrayList;
import java.util.List;

/**
 * One page of a bucket's keys in the byte order of their UTF-8 form, read straight from the manifests' etcd range
 * (their etcd keys sort the same way). With a delimiter, keys that share a common prefix are rolled up while paging:
 * the prefix is listed once and the next range read starts past all of its keys, so a folder of a million objects
 * costs one read, not a million. A page costs at most one range read per common prefix it lists plus one per
 * {@value #BATCH} keys.
 */
final class Listing {

    private static final int BATCH = 250;

    /** A listed key or common prefix, in listing order. */
    record Item(String key, Manifest manifest, boolean commonPrefix) {
    }

    /** @param next where the next page starts (the last item listed), when the page is truncated */
    record Page(List<Item> items, boolean truncated, String next) {

        List<Item> contents() {
            return items.stream().filter(i -> !i.commonPrefix()).toList();
        }

        List<String> commonPrefixes() {
            return items.stream().filter(Item::commonPrefix).map(Item::key).toList();
        }
    }

    private final ManifestStore manifests;
    private final EtcdKeys keys;

    Listing(ManifestStore manifests, EtcdKeys keys) {
        this.manifests = manifests;
        this.keys = keys;
    }

    /**
     * @param after the last key or common prefix of the previous page (exclusive), or empty for the first page
     */
    Page list(String bucket, String prefix, String delimiter, String after, int maxKeys) {
        String base = Buckets.objectKey(bucket, prefix);
        List<Item> items = new ArrayList<>();
        ByteSequence from = resumeAfter(bucket, prefix, delimiter, after);
        while (true) {
            List<VersionedManifest> batch = manifests.page(base, from, BATCH);
            if (batch.isEmpty()) {
                return new Page(items, false, null);
            }
            boolean restarted = false;
            for (VersionedManifest stored : batch) {
                String key = stored.manifest().key().substring(bucket.length() + 1);
                if (items.size() == maxKeys) {
                    return new Page(items, true, items.isEmpty() ? null : items.getLast().key());
                }
                int cut = delimiter.isEmpty() ? -1 : key.indexOf(delimiter, prefix.length());
                if (cut >= 0) {
                    String common = key.substring(0, cut + delimiter.length());
                    items.add(new Item(common, null, true));
                    from = keys.objectAfterAll(Buckets.objectKey(bucket, common));
                    restarted = true;
                    break;
                }
                items.add(new Item(key, stored.manifest(), false));
                from = keys.objectAfter(stored.manifest().key());
            }
            if (!restarted && batch.size() < BATCH) {
                return new Page(items, false, null);
            }
        }
    }

    /** Where a page after {@code after} starts: past all of {@code after}'s keys when it was a common prefix. */
    private ByteSequence resumeAfter(String bucket, String prefix, String delimiter, String after) {
        if (after.isEmpty()) {
            return null;
        }
        boolean common = !delimiter.isEmpty() && after.startsWith(prefix) && after.endsWith(delimiter)
                && after.indexOf(delimiter, prefix.length()) == after.length() - delimiter.length();
        return common ? keys.objectAfterAll(Buckets.objectKey(bucket, after))
                : keys.objectAfter(Buckets.objectKey(bucket, after));
    }
}
