package io.hybridstore.systemtest;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.auth.ClusterSecrets;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.BlobStat;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cluster's internal endpoints against a client that is not one of its services, on the real cluster: nothing
 * is served without the cluster's signature, nothing changes, the secret rotates without a failed request, and no
 * service but nginx can be reached from another machine.
 */
class InternalAuthSystemTest {

    private static final byte[] DATA = "planted by a stranger".getBytes(StandardCharsets.UTF_8);
    /** How ss shows a loopback listener: IPv4, or a JVM's dual-stack socket bound to the IPv4 loopback. */
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "[::ffff:127.0.0.1]", "[::1]");

    private final LocalCluster cluster = LocalCluster.get();
    private final Api api = new Api(cluster.gatewayUrl());

    private static StorageNodeClient client(ClusterAuth auth) {
        return new StorageNodeClient(auth, Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    private static ClusterAuth foreign() {
        return new ClusterAuth(ClusterSecrets.of("a-secret-this-cluster-never-had"), Duration.ofMinutes(5),
                Clock.systemUTC());
    }

    @Test
    void aStrangerCanNeitherPlantNorDeleteNorReadBlobsOnAnyNode() {
        Api.Response written = api.write("internal-auth/guarded", "ec", "{\"kept\":true}");
        assertThat(written.status()).as("an ec write, so that every node holds a blob: " + written.text())
                .isEqualTo(200);
        StorageNodeClient member = client(cluster.clusterAuth());
        StorageNodeClient stranger = client(foreign());
        StorageNodeClient late = client(cluster.clusterAuth(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10))));

        for (int n = 1; n <= 6; n++) {
            NodeInfo node = cluster.storageNode(n);
            BlobId planted = new BlobId("internal-auth.planted." + n);
            for (StorageNodeClient refused : List.of(stranger, late)) {
                assertThatThrownBy(() -> refused.put(node, planted, DATA, Checksums.crc32c(DATA)))
                        .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isEqualTo(401));
                assertThatThrownBy(() -> refused.get(node, planted, OptionalLong.empty()))
                        .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isEqualTo(401));
                assertThatThrownBy(() -> refused.list(node, null, 10))
                        .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isEqualTo(401));
            }
            assertThat(member.get(node, planted, OptionalLong.empty())).as("nothing planted on node %d", n).isEmpty();
            BlobStat held = member.list(node, null, 1).blobs().getFirst();
            assertThatThrownBy(() -> stranger.delete(node, new BlobId(held.id())))
                    .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isEqualTo(401));
            assertThat(member.get(node, new BlobId(held.id()), OptionalLong.of(held.crc32c())))
                    .as("%s still on node %d", held.id(), n).isPresent();
        }
        assertThat(api.read("internal-auth/guarded").text()).isEqualTo("{\"kept\":true}");
        assertThat(refusedCount(1, "wire")).as("refusals are counted").isPositive();
    }

    /**
     * The documented rotation, with writes and reads going on throughout: add the new secret second, move it first,
     * drop the old one. Services re-read the file within a second, so each step waits two before the next.
     */
    @Test
    void theSecretRotatesWithoutAFailedRequest() throws Exception {
        Path file = cluster.clusterSecretFile();
        String old = Files.readAllLines(file).getFirst().strip();
        String fresh = "rotated-" + Long.toHexString(System.nanoTime()) + "-cluster-secret";
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger done = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        Thread load = Thread.ofVirtual().start(() -> {
            for (int i = 0; running.get(); i++) {
                String key = "internal-auth/rotation-" + (i % 20);
                Api.Response write = api.write(key, i % 2 == 0 ? "replication" : "ec", "{\"i\":" + i + "}");
                Api.Response read = api.read(key);
                if (write.status() != 200 || read.status() != 200) {
                    synchronized (failures) {
                        failures.add(key + ": write " + write.status() + " " + write.text() + ", read " + read.status());
                    }
                }
                done.incrementAndGet();
            }
        });
        try {
            replace(file, old + "\n" + fresh + "\n");
            Thread.sleep(2500);
            assertThat(signedInfo(fresh).status()).as("the new secret is accepted once added").isEqualTo(200);
            replace(file, fresh + "\n" + old + "\n");
            Thread.sleep(2500);
            replace(file, fresh + "\n");
            Thread.sleep(2500);
            assertThat(signedInfo(old).status()).as("the old secret is refused once dropped").isEqualTo(401);
            assertThat(signedInfo(fresh).status()).isEqualTo(200);
        } finally {
            running.set(false);
            load.join();
        }
        assertThat(failures).isEmpty();
        assertThat(done.get()).as("requests made during the rotation").isGreaterThan(10);
    }

    /** What the README gives operators for /scan, /status, /info and the like: the script, signing with the file. */
    @Test
    void operatorsCallInternalEndpointsWithTheScript() throws Exception {
        Path script = Path.of(System.getProperty("hybridstore.repo", "..")).resolve("scripts/internal-call");
        Path body = Files.createTempFile("check", ".json");
        Files.writeString(body, "{\"ids\":[\"internal-auth.never-stored\"]}");

        String status = run(script.toString(), "GET", cluster.healerUrl(1) + "/status");
        String check = run(script.toString(), "POST", cluster.storageNodeUrl(3) + "/blobs/check?unused=1",
                body.toString());

        assertThat(status).contains("\"role\":");
        assertThat(check).contains("\"missing\":[\"internal-auth.never-stored\"]");
        assertThat(new Api(cluster.healerUrl(1)).get("/status").status()).as("the same without the script")
                .isEqualTo(401);
    }

    private String run(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HYBRIDSTORE_INTERNAL_AUTH_SECRET_FILE", cluster.clusterSecretFile().toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }

    /** Every service but nginx listens on loopback only; nginx here too, being the local cluster's. */
    @Test
    void theLocalClusterListensOnLoopbackOnly() throws Exception {
        Map<Integer, String> ports = cluster.ports();
        Process ss = new ProcessBuilder("ss", "-ltnH").redirectErrorStream(true).start();
        String listeners = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ss.waitFor()).isZero();
        Pattern local = Pattern.compile("^\\S+\\s+\\d+\\s+\\d+\\s+(\\S+):(\\d+)\\s", Pattern.MULTILINE);
        Matcher matcher = local.matcher(listeners);
        List<String> seen = new ArrayList<>();
        List<String> exposed = new ArrayList<>();
        while (matcher.find()) {
            int port = Integer.parseInt(matcher.group(2));
            if (ports.containsKey(port)) {
                seen.add(ports.get(port) + ":" + port);
                if (!LOOPBACK.contains(matcher.group(1))) {
                    exposed.add(ports.get(port) + " on " + matcher.group(1) + ":" + port);
                }
            }
        }
        assertThat(seen).as("the cluster's listeners in\n" + listeners).hasSizeGreaterThanOrEqualTo(20);
        assertThat(exposed).isEmpty();
    }

    private Api.Response signedInfo(String secret) {
        ClusterAuth auth = new ClusterAuth(ClusterSecrets.of(secret), Duration.ofMinutes(5), Clock.systemUTC());
        return new Api(cluster.storageNodeUrl(2), Duration.ofSeconds(10), auth).get("/info");
    }

    private long refusedCount(int node, String transport) {
        String metrics = new Api(cluster.storageNodeUrl(node)).get("/actuator/prometheus").text();
        Matcher count = Pattern.compile("hybridstore_internal_auth_refused_total\\{reason=\"[a-z-]+\",transport=\""
                + transport + "\"} ([0-9.]+)").matcher(metrics);
        long total = 0;
        while (count.find()) {
            total += (long) Double.parseDouble(count.group(1));
        }
        return total;
    }

    /** As an operator should: a new file moved over the old one, so no service reads it half written. */
    private static void replace(Path file, String content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.deleteIfExists(next);
        Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(next, content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
