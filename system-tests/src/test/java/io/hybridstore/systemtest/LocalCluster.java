package io.hybridstore.systemtest;

import io.hybridstore.cluster.Cluster;
import io.hybridstore.cluster.ClusterSecret;
import io.hybridstore.cluster.Instance;
import io.hybridstore.cluster.Launcher;
import io.hybridstore.cluster.S3Credentials;
import io.hybridstore.cluster.Topology;
import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.auth.ClusterSecrets;
import io.hybridstore.common.auth.InternalAuthProperties;
import io.hybridstore.common.node.NodeInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The real local cluster (etcd ×3, so that a member can be stopped), started once per test JVM by the cluster
 * module's launcher, in its own run directory and on ports offset by 10000, so the tests never touch a developer's
 * cluster on :8000. The launcher holds the processes it started as {@link Process} handles; its progress goes to
 * {@code launcher.log} in the run directory. Stopped when the JVM exits, unless {@code HS_TEST_KEEP_CLUSTER=1} asks
 * to keep it for a look at its logs; a kept cluster is then reused, data and all, by the next run with that setting
 * (a cluster takes minutes to start on two busy cores, so this is how one iterates on a system test). The packages
 * (etcd, nginx) must be installed: scripts/test.sh does it through {@code scripts/cluster.sh deps}.
 */
final class LocalCluster {

    /** HS_TEST_PORT_OFFSET lets two test runs share a machine; keep every port below 32768 (ephemeral range). */
    static final int PORT_OFFSET = Integer.parseInt(System.getenv().getOrDefault("HS_TEST_PORT_OFFSET", "10000"));
    /** The gateways' body limit in the test cluster: small enough that the 413 test sends little. */
    static final int MAX_BODY_BYTES = 9 * 1024 * 1024;
    /** Long enough for every test's own uploads to complete first. */
    static final Duration ABANDONED_UPLOAD_AGE = Duration.ofSeconds(45);
    private static LocalCluster instance;
    private static IllegalStateException startFailure;

    private final Cluster cluster;
    private final Launcher launcher;
    private final Topology topology;
    private final Map<String, String> settings;

    private LocalCluster(Path repo) {
        Path runDir = repo.resolve("system-tests/target/cluster" + (PORT_OFFSET == 10_000 ? "" : "-" + PORT_OFFSET));
        Map<String, String> settings = new HashMap<>(System.getenv());
        settings.putAll(Map.of(
                "HS_RUN_DIR", runDir.toString(),
                "HS_PORT_OFFSET", Integer.toString(PORT_OFFSET),
                "HS_ETCD_MEMBERS", "3",
                "HYBRIDSTORE_GATEWAY_MAX_BODY_SIZE", MAX_BODY_BYTES + "B",
                // The healers converge in seconds here; production defaults are minutes (README, "### healer").
                "HYBRIDSTORE_HEALER_REPAIR_SCANINTERVAL", "2s",
                "HYBRIDSTORE_HEALER_REPAIR_NODEGRACE", "10s",
                "HYBRIDSTORE_HEALER_ROLLBACK_ZOMBIETIMEOUT", "10s",
                "HYBRIDSTORE_HEALER_GC_GRACE", "20s",
                "HYBRIDSTORE_HEALER_GC_ABANDONEDUPLOADAGE", ABANDONED_UPLOAD_AGE.toSeconds() + "s",
                "HYBRIDSTORE_WAL_HEARTBEATINTERVAL", "3s"));
        Path log = runDir.resolve("launcher.log");
        this.settings = settings;
        this.cluster = Cluster.of(repo, settings, line -> append(log, line));
        this.launcher = cluster.launcher();
        this.topology = cluster.topology();
    }

    private static void append(Path log, String line) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + line + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The running cluster. A cluster that failed to start is not tried again by every test class: they all fail
     * with the first cause, and its logs stay in the run directory.
     */
    static synchronized LocalCluster get() {
        if (startFailure != null) {
            throw new IllegalStateException("the local cluster failed to start earlier", startFailure);
        }
        if (instance == null) {
            LocalCluster local = new LocalCluster(Path.of(System.getProperty("hybridstore.repo", "..")).toAbsolutePath().normalize());
            boolean keep = "1".equals(System.getenv("HS_TEST_KEEP_CLUSTER"));
            if (!keep) {
                Runtime.getRuntime().addShutdownHook(new Thread(local.cluster::down));
            }
            try {
                local.cluster.up(!keep);
            } catch (IOException | RuntimeException e) {
                startFailure = new IllegalStateException("the local cluster did not come up: " + e.getMessage(), e);
                throw startFailure;
            }
            instance = local;
        }
        return instance;
    }

    String gatewayUrl() {
        return topology.url(topology.instance(Topology.NGINX, 1));
    }

    /** The S3 API, through nginx. */
    String s3Url() {
        return "http://127.0.0.1:" + topology.secondPort(topology.instance(Topology.NGINX, 1));
    }

    /** One gateway's own S3 listener, not through nginx. */
    String s3Url(int gateway) {
        return "http://127.0.0.1:" + topology.secondPort(topology.instance(Topology.GATEWAY, gateway));
    }

    /** The S3 root key the launcher gave the gateways: access key, then secret key. */
    List<String> s3Key() {
        Map<String, String> key = S3Credentials.of(launcher.runDir(), settings);
        return List.of(key.get(S3Credentials.ACCESS_KEY), key.get(S3Credentials.SECRET_KEY));
    }

    /** One gateway itself, not through nginx. */
    String gatewayUrl(int n) {
        return topology.url(topology.instance(Topology.GATEWAY, n));
    }

    /** The cluster secret the launcher gave the services, from the run dir's secret file. */
    ClusterAuth clusterAuth() {
        return clusterAuth(Clock.systemUTC());
    }

    /** The cluster secret, signing at the time {@code clock} tells. */
    ClusterAuth clusterAuth(Clock clock) {
        InternalAuthProperties properties = new InternalAuthProperties(null, ClusterSecret.file(launcher.runDir()), null);
        return new ClusterAuth(ClusterSecrets.of(properties), properties.maxSkew(), clock);
    }

    /** A client of a storage node's or healer's internal endpoints at {@code url}, signing as the services do. */
    Api internal(String url) {
        return new Api(url, Duration.ofSeconds(60), clusterAuth());
    }

    Path clusterSecretFile() {
        return ClusterSecret.file(launcher.runDir());
    }

    /** Storage node {@code n} as the gateways know it: its HTTP URL and its blob-protocol address. */
    NodeInfo storageNode(int n) {
        Instance node = topology.instance(Topology.STORAGE_NODE, n);
        return new NodeInfo(node.name(), topology.url(node), "127.0.0.1:" + topology.secondPort(node));
    }

    /** Every port an instance of the cluster may listen on, by instance name. */
    Map<Integer, String> ports() {
        Map<Integer, String> ports = new TreeMap<>();
        for (Instance instance : topology.instances()) {
            ports.put(topology.port(instance), instance.name());
            if (instance.service().secondPort() != 0) {
                ports.put(topology.secondPort(instance), instance.name());
            }
        }
        return ports;
    }

    String storageNodeUrl(int n) {
        return topology.url(topology.instance(Topology.STORAGE_NODE, n));
    }

    String healerUrl(int n) {
        return topology.url(topology.instance(Topology.HEALER, n));
    }

    String etcdUrl() {
        return topology.url(topology.instance(Topology.ETCD, 1));
    }

    String kafkaBootstrap() {
        return topology.kafkaBootstrap();
    }

    /** Whether the process {@code up} or {@code start} started for this service is still alive. */
    boolean isRunning(String service) {
        return launcher.running(launcher.instance(service)).isPresent();
    }

    Path dataDir(String service) {
        return launcher.runDir().dataDir(service);
    }

    /** SIGKILL, as a crash or a pulled plug would; the process gets no chance to clean up. */
    void kill(String service) {
        launcher.kill(launcher.instance(service));
    }

    /** SIGTERM, then SIGKILL after the launcher's stop timeout: an orderly shutdown. */
    void stop(String service) {
        launcher.stop(List.of(launcher.instance(service)));
    }

    /** SIGSTOP: the process holds its connections but answers nothing, as a hung disk would make it. */
    void pause(String service) {
        launcher.pause(launcher.instance(service));
    }

    void resume(String service) {
        launcher.resume(launcher.instance(service));
    }

    /**
     * Starts stopped or killed processes again with the command lines {@code up} gave them, all at once, and waits
     * until they are healthy: together, they are down for one start-up, not one each.
     */
    void start(String... services) {
        startAndAwait(Arrays.stream(services).map(launcher::instance).toList());
    }

    /**
     * Stops the service and starts it again with {@code settings} (environment variables, as HYBRIDSTORE_*) on top of
     * the cluster's, waiting until healthy; {@link #start} later gives it back the cluster's own.
     */
    void restartWith(String service, Map<String, String> settings) {
        Instance instance = launcher.instance(service);
        launcher.stop(List.of(instance));
        try {
            launcher.start(instance, settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + service, e);
        }
        launcher.awaitHealthy(List.of(instance));
    }

    /**
     * Resumes paused processes, starts whatever is not running (a no-op for a process that is) and waits for
     * health, wave by wave in start order.
     */
    void startAll() {
        for (List<Instance> wave : topology.startWaves()) {
            wave.forEach(launcher::resume);
            startAndAwait(wave);
        }
    }

    private void startAndAwait(List<Instance> instances) {
        try {
            launcher.startAndAwait(instances);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + instances, e);
        }
    }
}
