package io.hybridstore.systemtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real local cluster (etcd ×3, so that a member can be stopped), started once per test JVM with
 * {@code scripts/cluster.sh} in its own run directory and on ports offset by 10000, so the tests never touch a
 * developer's cluster on :8000. Stopped when the JVM exits, unless {@code HS_TEST_KEEP_CLUSTER=1} asks to keep it
 * for a look at its logs; a kept cluster is then reused, data and all, by the next run with that setting (a cluster
 * takes minutes to start on two busy cores, so this is how one iterates on a system test).
 */
final class LocalCluster {

    /** HS_TEST_PORT_OFFSET lets two test runs share a machine; keep every port below 32768 (ephemeral range). */
    static final int PORT_OFFSET = Integer.parseInt(System.getenv().getOrDefault("HS_TEST_PORT_OFFSET", "10000"));
    /** The gateways' body limit in the test cluster: small enough that the 413 test sends little. */
    static final int MAX_BODY_BYTES = 9 * 1024 * 1024;
    private static LocalCluster instance;
    private static IllegalStateException startFailure;

    private final Path repo;
    private final Path runDir;

    private LocalCluster(Path repo) {
        this.repo = repo;
        this.runDir = repo.resolve("system-tests/target/cluster" + (PORT_OFFSET == 10_000 ? "" : "-" + PORT_OFFSET));
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
            LocalCluster cluster = new LocalCluster(Path.of(System.getProperty("hybridstore.repo", "..")).toAbsolutePath().normalize());
            boolean keep = "1".equals(System.getenv("HS_TEST_KEEP_CLUSTER"));
            if (!keep) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> cluster.script(Duration.ofMinutes(2), "down")));
            }
            try {
                if (keep) {
                    cluster.script(Duration.ofMinutes(15), "up", "--etcd-members", "3");
                } else {
                    cluster.script(Duration.ofMinutes(15), "up", "--clean", "--etcd-members", "3");
                }
            } catch (IllegalStateException e) {
                startFailure = e;
                throw e;
            }
            instance = cluster;
        }
        return instance;
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + (8000 + PORT_OFFSET);
    }

    String storageNodeUrl(int n) {
        return "http://127.0.0.1:" + (8000 + n + PORT_OFFSET);
    }

    String etcdUrl() {
        return "http://127.0.0.1:" + (2379 + PORT_OFFSET);
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + (9092 + PORT_OFFSET);
    }

    String gatewayUrl(int n) {
        return "http://127.0.0.1:" + (8100 + n + PORT_OFFSET);
    }

    /** Whether the process {@code up} or {@code start} started for this service is still alive. */
    boolean isRunning(String service) {
        try {
            long pid = Long.parseLong(Files.readString(runDir.resolve("pids").resolve(service + ".pid")).strip());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    Path dataDir(String service) {
        return runDir.resolve("data").resolve(service);
    }

    /** SIGKILL, as a crash or a pulled plug would; the process gets no chance to clean up. */
    void kill(String service) {
        script(Duration.ofMinutes(1), "kill", service);
    }

    /** SIGTERM, then SIGKILL after the script's stop timeout: an orderly shutdown. */
    void stop(String service) {
        script(Duration.ofMinutes(1), "stop", service);
    }

    /** SIGSTOP: the process holds its connections but answers nothing, as a hung disk would make it. */
    void pause(String service) {
        script(Duration.ofMinutes(1), "pause", service);
    }

    void resume(String service) {
        script(Duration.ofMinutes(1), "resume", service);
    }

    /** Starts a stopped or killed process again with the command line {@code up} gave it, and waits until healthy. */
    void start(String service) {
        script(Duration.ofMinutes(6), "start", service);
    }

    /** Starts whatever is not running (a no-op for a process that is), resumes paused ones, and waits for health. */
    void startAll() {
        List<String> services = new ArrayList<>(List.of("etcd-1", "etcd-2", "etcd-3", "kafka-1"));
        for (int n = 1; n <= 6; n++) {
            services.add("storage-node-" + n);
        }
        services.addAll(List.of("healer-1", "healer-2", "gateway-1", "gateway-2", "gateway-3", "nginx-1"));
        for (String service : services) {
            resume(service);
            start(service);
        }
    }

    private void script(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", repo.resolve("scripts/cluster.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        builder.environment().putAll(Map.of(
                "HS_RUN_DIR", runDir.toString(),
                "HS_PORT_OFFSET", Integer.toString(PORT_OFFSET),
                "HYBRIDSTORE_GATEWAY_MAX_BODY_SIZE", MAX_BODY_BYTES + "B",
                // The healers converge in seconds here; production defaults are minutes (README, "### healer").
                "HYBRIDSTORE_HEALER_REPAIR_SCANINTERVAL", "2s",
                "HYBRIDSTORE_HEALER_REPAIR_NODEGRACE", "10s",
                "HYBRIDSTORE_HEALER_ROLLBACK_ZOMBIETIMEOUT", "10s",
                "HYBRIDSTORE_HEALER_GC_GRACE", "20s",
                "HYBRIDSTORE_WAL_HEARTBEATINTERVAL", "3s"));
        try {
            Files.createDirectories(runDir);
            Path output = runDir.resolve("cluster-sh.out");
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("cluster.sh " + String.join(" ", args) + " did not finish within " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("cluster.sh " + String.join(" ", args) + " failed with exit code "
                        + process.exitValue() + ":\n" + tail(output));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run cluster.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running cluster.sh", e);
        }
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
