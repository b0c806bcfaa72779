package io.hybridstore.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A whole cluster in one run dir: {@code up} in waves, {@code down} in reverse, {@code clean}, {@code status}. What
 * {@code up} ran with (the HS_* settings and the pass-through variables) is kept in the run dir's cluster.env, so
 * that a later {@code start NAME}, possibly from another shell, re-creates exactly the command line {@code up} used.
 */
public final class Cluster {

    /** Variables that reach the Spring services unchanged (relaxed binding). */
    static final Pattern PASS_THROUGH = Pattern.compile("^(HYBRIDSTORE|SPRING|SERVER|MANAGEMENT|LOGGING)_.*");
    private static final String ETCD_MEMBERS = "HS_ETCD_MEMBERS";

    private final Launcher launcher;
    private final Map<String, String> settings;

    private Cluster(Launcher launcher, Map<String, String> settings) {
        this.launcher = launcher;
        this.settings = settings;
    }

    /**
     * A cluster described by these settings (HS_* variables and the pass-through ones; HS_RUN_DIR defaults to
     * {@code <repo>/run}).
     */
    public static Cluster of(Path repo, Map<String, String> settings, Consumer<String> log) {
        Topology topology = Topology.load(settings);
        RunDir runDir = new RunDir(Path.of(settings.getOrDefault("HS_RUN_DIR", repo.resolve("run").toString())));
        Map<String, String> serviceEnv = new HashMap<>();
        settings.forEach((name, value) -> {
            if (PASS_THROUGH.matcher(name).matches()) {
                serviceEnv.put(name, value);
            }
        });
        serviceEnv.putAll(S3Credentials.of(runDir, settings));
        Launcher launcher = new Launcher(repo, runDir, topology, serviceEnv,
                Duration.ofSeconds(seconds(settings, "HS_HEALTH_TIMEOUT", 300)),
                Duration.ofSeconds(seconds(settings, "HS_STOP_TIMEOUT", 20)), log);
        return new Cluster(launcher, settings);
    }

    /** The settings {@code up} saved in the run dir, over the given ones; the given ones alone if there are none. */
    public static Map<String, String> withSaved(Path runDir, Map<String, String> settings) {
        Map<String, String> merged = new HashMap<>(settings);
        merged.putAll(saved(runDir.resolve("cluster.env")));
        merged.put("HS_RUN_DIR", settings.getOrDefault("HS_RUN_DIR", runDir.toString()));
        return merged;
    }

    private static Map<String, String> saved(Path clusterEnv) {
        Properties saved = new Properties();
        if (Files.isRegularFile(clusterEnv)) {
            try (Reader in = Files.newBufferedReader(clusterEnv)) {
                saved.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + clusterEnv, e);
            }
        }
        Map<String, String> values = new HashMap<>();
        saved.forEach((k, v) -> values.put(k.toString(), v.toString()));
        return values;
    }

    private static long seconds(Map<String, String> settings, String name, long fallback) {
        String value = settings.get(name);
        try {
            return value == null ? fallback : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of seconds, not '" + value + "'");
        }
    }

    public Launcher launcher() {
        return launcher;
    }

    public Topology topology() {
        return launcher.topology();
    }

    public void up(boolean clean) throws IOException {
        if (clean) {
            clean();
        }
        requireSameEtcdMembers();
        launcher.installJars();
        warnEphemeralPorts();
        saveSettings();
        for (List<Instance> wave : topology().startWaves()) {
            if (!wave.isEmpty()) {
                launcher.startAndAwait(wave);
            }
        }
        topology().instancesOf(Topology.NGINX).stream().findFirst().ifPresent(nginx -> {
            Map<String, String> key = S3Credentials.of(launcher.runDir(), settings);
            launcher.log("S3 API on http://localhost:" + topology().secondPort(nginx) + " - access key "
                    + key.get(S3Credentials.ACCESS_KEY) + ", secret key " + key.get(S3Credentials.SECRET_KEY)
                    + " (kept in " + S3Credentials.file(launcher.runDir()) + ")");
        });
    }

    /**
     * etcd members keep the cluster they were created in: another member count than the run dir's data was made
     * with would start the old members as one cluster and the new ones as another, each answering for itself.
     */
    private void requireSameEtcdMembers() {
        RunDir runDir = launcher.runDir();
        String previous = saved(runDir.clusterEnv()).get(ETCD_MEMBERS);
        String now = topology().settings().get(ETCD_MEMBERS);
        if (Files.isDirectory(runDir.dataDir("etcd-1").resolve("member")) && previous != null && !previous.equals(now)) {
            throw new IllegalStateException(runDir.root() + " holds the data of a cluster with " + previous
                    + " etcd member(s), not " + now + ": run 'up --etcd-members " + previous + "', or 'up --clean"
                    + " --etcd-members " + now + "' to start afresh (deletes every object)");
        }
    }

    private void warnEphemeralPorts() {
        int[] range = Health.ephemeralRange();
        if (range == null) {
            return;
        }
        for (Instance instance : topology().instances()) {
            int port = topology().port(instance);
            if (port >= range[0] && port <= range[1] + 1) {
                launcher.log("warning: " + instance + " port " + port + " (or the one above it) is in the ephemeral range "
                        + range[0] + "-" + range[1] + "; it may be taken");
            }
        }
    }

    private void saveSettings() throws IOException {
        Map<String, String> saved = new TreeMap<>(topology().settings());
        settings.forEach((name, value) -> {
            if (PASS_THROUGH.matcher(name).matches() && !name.equals(S3Credentials.ACCESS_KEY) && !name.equals(S3Credentials.SECRET_KEY)) {
                saved.put(name, value);
            }
        });
        Properties properties = new Properties();
        properties.putAll(saved);
        Files.createDirectories(launcher.runDir().root());
        try (Writer out = Files.newBufferedWriter(launcher.runDir().clusterEnv())) {
            properties.store(out, "Written by the launcher's up; read by every later command on this run dir.");
        }
    }

    /** Stops every instance, wave by wave, and then any instance outside this topology that still has a pid file. */
    public void down() {
        for (List<Instance> wave : topology().stopWaves()) {
            launcher.stop(wave);
        }
        launcher.stop(strays());
    }

    /** Instances outside the current topology (etcd-3 after switching back to one member, say) with a pid file. */
    private List<Instance> strays() {
        List<Instance> strays = new ArrayList<>();
        try (Stream<Path> files = Files.list(launcher.runDir().pids())) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.pid$", "");
                int dash = name.lastIndexOf('-');
                if (dash < 0 || topology().instance(name).isPresent() || !name.substring(dash + 1).matches("\\d+")) {
                    continue;
                }
                try {
                    strays.add(new Instance(topology().service(name.substring(0, dash)),
                            Integer.parseInt(name.substring(dash + 1))));
                } catch (IllegalArgumentException unknownService) {
                    launcher.log("ignoring " + file + ": not a service of this topology");
                }
            }
        } catch (IOException noPidsYet) {
            return List.of();
        }
        return strays;
    }

    /** Stops everything and wipes data, logs, pids and the saved settings. */
    public void clean() throws IOException {
        down();
        RunDir runDir = launcher.runDir();
        launcher.log("wiping " + runDir.root() + " (data, logs, pids)");
        for (Path dir : List.of(runDir.data(), runDir.logs(), runDir.pids())) {
            deleteTree(dir);
        }
        Files.deleteIfExists(runDir.clusterEnv());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** One line per instance: name, pid, port, state (healthy, up, paused, down). Health is asked of all at once. */
    public String status() {
        List<Instance> instances = topology().instances();
        StringBuilder out = new StringBuilder(String.format("%-16s %-8s %-6s %s%n", "NAME", "PID", "PORT", "STATE"));
        try (ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> lines = instances.stream().map(i -> checks.submit(() -> statusLine(i))).toList();
            for (Future<String> line : lines) {
                out.append(line.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("status failed", e.getCause());
        }
        return out.toString();
    }

    private String statusLine(Instance instance) {
        var running = launcher.running(instance);
        String state;
        if (running.isEmpty()) {
            state = "down";
        } else if (launcher.paused(instance)) {
            state = "paused";
        } else {
            state = launcher.healthy(instance) ? "healthy" : "up";
        }
        return String.format("%-16s %-8s %-6d %s%n", instance, running.map(h -> Long.toString(h.pid())).orElse("-"),
                topology().port(instance), state);
    }
}
