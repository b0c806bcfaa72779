package io.hybridstore.systemtest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Multipart uploads through the AWS SDK for Java v2: parts, completion, abort and the refusals S3 clients expect. */
class S3MultipartTest {

    private static final int MIB = 1024 * 1024;
    private static final LocalCluster cluster = LocalCluster.get();
    private static final String BUCKET = "s3-multipart-" + Long.toString(System.currentTimeMillis(), 36);
    private static S3Client s3;

    @BeforeAll
    static void createBucket() {
        s3 = S3ApiTest.client(cluster.s3Key().get(0), cluster.s3Key().get(1));
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    @Test
    void partsCompleteIntoOneObjectWithS3sMultipartETag() throws Exception {
        String key = "big/assembled.bin";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key).contentType("video/mp4")
                .metadata(java.util.Map.of("camera", "front"))).uploadId();
        byte[][] parts = {random(5 * MIB, 1), random(5 * MIB + 3, 2), random(MIB + 11, 3)};
        List<CompletedPart> completed = new ArrayList<>();
        MessageDigest md5s = MessageDigest.getInstance("MD5");
        for (int i = 0; i < parts.length; i++) {
            int number = i + 1;
            byte[] part = parts[i];
            String etag = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(number),
                    RequestBody.fromBytes(part)).eTag();
            byte[] md5 = MessageDigest.getInstance("MD5").digest(part);
            assertThat(etag).isEqualTo("\"" + HexFormat.of().formatHex(md5) + "\"");
            md5s.update(md5);
            completed.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        assertThat(s3.listParts(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)).parts())
                .extracting(p -> p.partNumber(), p -> p.size())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, (long) parts[0].length),
                        org.assertj.core.groups.Tuple.tuple(2, (long) parts[1].length),
                        org.assertj.core.groups.Tuple.tuple(3, (long) parts[2].length));
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).anyMatch(u -> u.uploadId().equals(uploadId));

        String etag = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed))).eTag();
        assertThat(etag).isEqualTo("\"" + HexFormat.of().formatHex(md5s.digest()) + "-3\"");

        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            whole.writeBytes(part);
        }
        byte[] expected = whole.toByteArray();
        var read = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
        assertThat(read.asByteArray()).isEqualTo(expected);
        assertThat(read.response().eTag()).isEqualTo(etag);
        assertThat(read.response().contentType()).isEqualTo("video/mp4");
        assertThat(read.response().metadata()).containsEntry("camera", "front");
        int boundary = parts[0].length;
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).range("bytes=" + (boundary - 5) + "-" + (boundary + 4)))
                .asByteArray()).isEqualTo(Arrays.copyOfRange(expected, boundary - 5, boundary + 5));
        var second = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).partNumber(2));
        assertThat(second.asByteArray()).isEqualTo(parts[1]);
        assertThat(second.response().partsCount()).isEqualTo(3);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(key).partNumber(3)).contentLength()).isEqualTo(parts[2].length);
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key(key).partNumber(4)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(416));
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).noneMatch(u -> u.uploadId().equals(uploadId));
        assertThatThrownBy(() -> s3.listParts(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("NoSuchUpload"));
        s3.deleteObject(b -> b.bucket(BUCKET).key(key));
    }

    /**
     * A gigabyte through gateways with 512 MiB heaps: the parts stream through in stripes, the object is one manifest
     * of their stripes, and it streams back out whole.
     */
    @Test
    void aGigabyteUploadsInPartsAndReadsBackWhole() throws Exception {
        String key = "big/gigabyte.bin";
        int partSize = 8 * MIB;
        int count = 128;
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        MessageDigest written = MessageDigest.getInstance("MD5");
        List<CompletedPart> completed = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            int number = i;
            byte[] part = random(partSize, 1000 + i);
            written.update(part);
            String etag = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(number),
                    RequestBody.fromBytes(part)).eTag();
            completed.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(completed)));
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(key)).contentLength()).isEqualTo((long) partSize * count);

        MessageDigest read = MessageDigest.getInstance("MD5");
        long bytes = 0;
        try (var in = s3.getObject(b -> b.bucket(BUCKET).key(key))) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                read.update(buffer, 0, n);
                bytes += n;
            }
        }
        assertThat(bytes).isEqualTo((long) partSize * count);
        assertThat(read.digest()).isEqualTo(written.digest());
        for (int g = 1; g <= 3; g++) {
            assertThat(cluster.isRunning("gateway-" + g)).as("gateway-%d alive", g).isTrue();
        }
        s3.deleteObject(b -> b.bucket(BUCKET).key(key));
    }

    @Test
    void aCompletionNamingASmallOrUnknownPartIsRefusedAndAnAbortedUploadIsGone() {
        String key = "big/refused.bin";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        String small = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(random(1000, 4))).eTag();
        String last = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(random(1000, 5))).eTag();
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(small).build(),
                        CompletedPart.builder().partNumber(2).eTag(last).build()))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("EntityTooSmall"));
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(2).eTag("\"0000\"").build()))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidPart"));

        s3.abortMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId));
        assertThatThrownBy(() -> s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(3),
                RequestBody.fromBytes(random(10, 6))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key(key)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId("no-such-upload").partNumber(1),
                RequestBody.fromBytes(random(10, 7))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("NoSuchUpload"));
    }

    @Test
    void aPartCanBeCopiedFromARangeOfAnotherObject() {
        byte[] source = random(6 * MIB, 8);
        s3.putObject(b -> b.bucket(BUCKET).key("copy/source.bin"), RequestBody.fromBytes(source));
        String key = "copy/assembled.bin";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        String first = s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("copy/source.bin")
                .destinationBucket(BUCKET).destinationKey(key).uploadId(uploadId).partNumber(1)
                .copySourceRange("bytes=0-" + (5 * MIB))).copyPartResult().eTag();
        String second = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(2),
                RequestBody.fromString("tail")).eTag();
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(first).build(),
                CompletedPart.builder().partNumber(2).eTag(second).build())));
        byte[] read = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        assertThat(Arrays.copyOfRange(read, 0, 5 * MIB + 1)).isEqualTo(Arrays.copyOfRange(source, 0, 5 * MIB + 1));
        assertThat(new String(Arrays.copyOfRange(read, 5 * MIB + 1, read.length))).isEqualTo("tail");
        s3.deleteObject(b -> b.bucket(BUCKET).key(key));
        s3.deleteObject(b -> b.bucket(BUCKET).key("copy/source.bin"));
    }

    @Test
    void anUploadNobodyFinishesIsRemovedWithItsBlobsOnceTheHealerHasRun() throws Exception {
        ClusterAudit audit = new ClusterAudit(new HealerTestCluster());
        Set<String> before = blobs(audit);
        String key = "abandoned/upload.bin";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1), RequestBody.fromBytes(random(MIB, 9)));
        // The part's shards: new blobs of one version, not a repair's.
        Set<String> part = blobs(audit).stream().filter(b -> !before.contains(b)
                && !b.contains(".r")).collect(Collectors.toSet());
        assertThat(part).hasSize(6);

        Instant deadline = Instant.now().plus(LocalCluster.ABANDONED_UPLOAD_AGE).plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            boolean listed = s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().stream()
                    .anyMatch(u -> u.uploadId().equals(uploadId));
            Set<String> left = blobs(audit);
            left.retainAll(part);
            if (!listed && left.isEmpty()) {
                return;
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("the abandoned upload " + uploadId + " or its blobs were still there "
                + Duration.ofSeconds(120).toSeconds() + " s after it was old enough to be collected");
    }

    /**
     * A gateway killed while it streams a part into stripes: the healer rolls the part's write back (its intent
     * names every blob), and removes the upload once it is abandoned, so nothing of it is left.
     */
    @Test
    void aGatewayKilledInTheMiddleOfAPartLeavesNothingOnceTheHealerHasRun() throws Exception {
        ClusterAudit audit = new ClusterAudit(new HealerTestCluster());
        String key = "killed/upload.bin";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        Set<String> before = blobs(audit);
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        byte[] firstStripes = random(3 * MIB, 10);
        // Three stripes, then nothing: the gateway has stored blobs of the part and waits for the rest.
        java.io.InputStream stalling = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(firstStripes),
                new java.io.InputStream() {
                    @Override
                    public int read() throws java.io.IOException {
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new java.io.IOException("the upload was cut off");
                    }
                });
        Thread upload = Thread.ofVirtual().start(() -> {
            try (S3Client direct = S3ApiTest.client(cluster.s3Key().get(0), cluster.s3Key().get(1), cluster.s3Url(1))) {
                direct.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
                        RequestBody.fromInputStream(stalling, 8L * MIB));
            } catch (RuntimeException expected) {
                // The gateway died under it.
            }
        });
        Set<String> written = Set.of();
        Instant patience = Instant.now().plusSeconds(30);
        while (written.size() < 6 && Instant.now().isBefore(patience)) {
            Thread.sleep(200);
            written = blobs(audit).stream().filter(b -> !before.contains(b) && !b.contains(".r")).collect(Collectors.toSet());
        }
        assertThat(written).as("blobs of the part the gateway stored before it was killed").hasSizeGreaterThanOrEqualTo(6);
        cluster.kill("gateway-1");
        never.countDown();
        upload.join(Duration.ofSeconds(30));
        cluster.start("gateway-1");

        Set<String> partBlobs = written;
        Instant deadline = Instant.now().plus(LocalCluster.ABANDONED_UPLOAD_AGE).plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            boolean listed = s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().stream()
                    .anyMatch(u -> u.uploadId().equals(uploadId));
            Set<String> left = blobs(audit);
            left.retainAll(partBlobs);
            if (!listed && left.isEmpty()) {
                return;
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("the killed upload " + uploadId + " or blobs of its part were still there 120 s "
                + "after it was old enough to be collected");
    }

    /** Every blob on every node, as node:id. */
    private static Set<String> blobs(ClusterAudit audit) {
        Set<String> all = new HashSet<>();
        for (int n = 1; n <= HealerTestCluster.NODES; n++) {
            int node = n;
            audit.listAll(n).keySet().forEach(id -> all.add(node + ":" + id));
        }
        return all;
    }

    private static byte[] random(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
