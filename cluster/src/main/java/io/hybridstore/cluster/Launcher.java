package io.hybridstore.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Starts, watches and stops the processes of one cluster in one run dir, and nothing else: every process it starts
 * carries its data dir on its command line and is remembered by a pid file, so a pid that now belongs to some other
 * program is never signalled. The processes it started itself it holds as {@link Process} handles; those of an
 * earlier launcher (another shell, a kept test cluster) it finds through their pid files.
 */
public final class Launcher {

    private final Path repo;
    private final RunDir runDir;
    private final Topology topology;
    private final Map<String, String> env;
    private final Duration healthTimeout;
    private final Duration stopTimeout;
    private final Consumer<String> log;
    private final CommandLines commands;
    private final Health health;
    private final Map<String, Process> started = new ConcurrentHashMap<>();

    /**
     * @param env the environment the services get (on top of this JVM's): HYBRIDSTORE_*, SPRING_* etc. reach them
     *            by Spring's relaxed binding
     */
    public Launcher(Path repo, RunDir runDir, Topology topology, Map<String, String> env, Duration healthTimeout,
                    Duration stopTimeout, Consumer<String> log) {
        this.repo = repo;
        this.runDir = runDir;
        this.topology = topology;
        this.env = Map.copyOf(env);
        this.healthTimeout = healthTimeout;
        this.stopTimeout = stopTimeout;
        this.log = log;
        this.commands = new CommandLines(repo, topology, runDir);
        this.health = new Health(topology, runDir);
    }

    public Topology topology() {
        return topology;
    }

    public RunDir runDir() {
        return runDir;
    }

    void log(String line) {
        log.accept(line);
    }

    /** The instance of this topology by name, or a clear refusal listing the names there are. */
    public Instance instance(String name) {
        return topology.instance(name).orElseThrow(() -> new IllegalArgumentException("unknown instance '" + name
                + "' (one of: " + String.join(" ", topology.instances().stream().map(Instance::name).toList()) + ")"));
    }

    /** Copies the built jar of every Java service into the run dir (atomically, for a reader mid-start). */
    public void installJars() throws IOException {
        Files.createDirectories(runDir.jar("x").getParent());
        for (String module : topology.modules()) {
            Path built = repo.resolve(module).resolve("target").resolve(module + ".jar");
            if (!Files.isRegularFile(built)) {
                throw new IllegalStateException(built + " missing: build it (scripts/cluster.sh build, or mvn package)");
            }
            Path tmp = runDir.jar(module + ".tmp");
            Files.copy(built, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, runDir.jar(module), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The running process of an instance we started, if any. */
    public Optional<ProcessHandle> running(Instance instance) {
        Process process = started.get(instance.name());
        if (process != null && process.isAlive()) {
            return Optional.of(process.toHandle());
        }
        Path file = runDir.pidFile(instance);
        long pid;
        try {
            pid = Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> ours(h.pid(), instance));
    }

    private boolean ours(long pid, Instance instance) {
        try {
            return hasArgument(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    commands.marker(instance));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether a {@code /proc/<pid>/cmdline} holds {@code value} whole, as an argument or an option's value
     * ({@code --x=value}): storage-node-1's data dir must not match storage-node-10's. Arguments end in NUL there,
     * except for a process that retitles itself: nginx rewrites its command line into one space-separated title
     * ("nginx: master process ... -p DIR -e ..."), so a space ends an argument too.
     */
    static boolean hasArgument(byte[] cmdline, String value) {
        for (String part : new String(cmdline, StandardCharsets.UTF_8).split("[\\x00 ]")) {
            if (part.equals(value) || part.endsWith("=" + value)) {
                return true;
            }
        }
        return false;
    }

    /** Starts the instance unless it runs already; does not wait for its health. */
    public void start(Instance instance) throws IOException {
        start(instance, Map.of());
    }

    /** As {@link #start(Instance)}, with settings for this instance alone on top of the cluster's (tests use it). */
    public void start(Instance instance, Map<String, String> extraEnv) throws IOException {
        Optional<ProcessHandle> running = running(instance);
        if (running.isPresent()) {
            log.accept(instance + " already running (pid " + running.get().pid() + ")");
            return;
        }
        int port = topology.port(instance);
        if (Health.portInUse(port)) {
            throw new IllegalStateException(instance + ": port " + port + " is taken by a process this launcher did not start");
        }
        if (instance.service().isJava() && !Files.isRegularFile(runDir.jar(instance.service().module()))) {
            throw new IllegalStateException(runDir.jar(instance.service().module()) + " missing; run scripts/cluster.sh up first");
        }
        Files.createDirectories(runDir.pids());
        Files.createDirectories(runDir.logs());
        Files.createDirectories(runDir.dataDir(instance.name()));
        List<String> command = commands.of(instance);
        Path logFile = runDir.logFile(instance.name());
        Files.writeString(logFile, "\n=== " + OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS) + " starting "
                + instance + ": " + String.join(" ", command) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        // setsid: the instance leads its own session and process group, so pause/resume reach all of it (nginx
        // workers too) and a Ctrl-C in the shell that ran the launcher does not reach the cluster.
        List<String> detached = new ArrayList<>(List.of("setsid"));
        detached.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(detached).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        started.put(instance.name(), process);
        Files.writeString(runDir.pidFile(instance), process.pid() + "\n");
        log.accept("started " + instance + " (pid " + process.pid() + ", port " + port + ")");
    }

    /** Starts the instances and waits until every one of them is healthy. */
    public void startAndAwait(List<Instance> instances) throws IOException {
        for (Instance instance : instances) {
            start(instance);
        }
        awaitHealthy(instances);
    }

    /**
     * Waits until every instance is healthy; fails with the tail of its log when one exits or the health timeout
     * passes. Each round checks all pending instances at once, so one slow answer does not stall the others.
     */
    public void awaitHealthy(List<Instance> instances) {
        Instant deadline = Instant.now().plus(healthTimeout);
        List<Instance> pending = new ArrayList<>(instances);
        try (ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor()) {
            while (!pending.isEmpty()) {
                List<Future<Boolean>> answers = new ArrayList<>();
                for (Instance instance : pending) {
                    if (running(instance).isEmpty()) {
                        throw failure(instance, "exited during start-up");
                    }
                    answers.add(checks.submit(() -> health.healthy(instance)));
                }
                List<Instance> still = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    if (answers.get(i).get()) {
                        log.accept(pending.get(i) + " healthy");
                    } else {
                        still.add(pending.get(i));
                    }
                }
                pending = still;
                if (pending.isEmpty()) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw failure(pending.getFirst(), "not healthy after " + healthTimeout.toSeconds() + "s (also pending: "
                            + pending.subList(1, pending.size()) + ")");
                }
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + pending, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("health check failed", e.getCause());
        }
    }

    private IllegalStateException failure(Instance instance, String what) {
        Path logFile = runDir.logFile(instance.name());
        String tail;
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.ISO_8859_1);
            tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            tail = "(no log: " + e.getMessage() + ")";
        }
        return new IllegalStateException(instance + ": " + what + "; last lines of " + logFile + ":\n" + tail);
    }

    /** TERM, then KILL whatever still runs after the stop timeout. */
    public void stop(List<Instance> instances) {
        Map<Instance, List<ProcessHandle>> alive = new java.util.LinkedHashMap<>();
        for (Instance instance : instances) {
            running(instance).ifPresent(h -> alive.put(instance, withDescendants(h)));
        }
        if (alive.isEmpty()) {
            return;
        }
        log.accept("stopping " + alive.keySet());
        alive.forEach((instance, handles) -> {
            handles.getFirst().destroy();
            // a paused process can only act on TERM once it runs again
            groupSignal("CONT", handles.getFirst().pid());
        });
        Instant deadline = Instant.now().plus(stopTimeout);
        while (!alive.isEmpty() && Instant.now().isBefore(deadline)) {
            alive.keySet().removeIf(instance -> running(instance).isEmpty());
            sleep(200);
        }
        if (!alive.isEmpty()) {
            log.accept("still running after " + stopTimeout.toSeconds() + "s, killing: " + alive.keySet());
            alive.values().forEach(handles -> handles.forEach(ProcessHandle::destroyForcibly));
            alive.keySet().forEach(this::awaitGone);
        }
        for (Instance instance : instances) {
            forget(instance);
        }
    }

    /** SIGKILL, as a crash or a pulled plug would, and waits until it is gone so that a start right after finds the port free. */
    public void kill(Instance instance) {
        running(instance).ifPresent(h -> withDescendants(h).forEach(ProcessHandle::destroyForcibly));
        awaitGone(instance);
        log.accept("killed " + instance);
    }

    /**
     * SIGSTOP: the process holds its connections but answers nothing. Returns once the kernel has stopped it, so a
     * caller's next request meets a paused process.
     */
    public void pause(Instance instance) {
        running(instance).ifPresent(h -> groupSignal("STOP", h.pid()));
        awaitPaused(instance, true);
        log.accept("paused " + instance);
    }

    public void resume(Instance instance) {
        running(instance).ifPresent(h -> groupSignal("CONT", h.pid()));
        awaitPaused(instance, false);
        log.accept("resumed " + instance);
    }

    private void awaitPaused(Instance instance, boolean paused) {
        Instant deadline = Instant.now().plusSeconds(5);
        while (running(instance).isPresent() && paused(instance) != paused && Instant.now().isBefore(deadline)) {
            sleep(20);
        }
    }

    public boolean paused(Instance instance) {
        return running(instance).map(h -> {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
                return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
            } catch (IOException e) {
                return false;
            }
        }).orElse(false);
    }

    public boolean healthy(Instance instance) {
        return health.healthy(instance);
    }

    /** The root first: its descendants (nginx workers) must be found while it still holds them. */
    private static List<ProcessHandle> withDescendants(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>(List.of(root));
        root.descendants().forEach(all::add);
        return all;
    }

    private void awaitGone(Instance instance) {
        Instant deadline = Instant.now().plusSeconds(10);
        while (running(instance).isPresent() && Instant.now().isBefore(deadline)) {
            sleep(100);
        }
        forget(instance);
    }

    private void forget(Instance instance) {
        if (running(instance).isEmpty()) {
            started.remove(instance.name());
            try {
                Files.deleteIfExists(runDir.pidFile(instance));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Java has no API for SIGSTOP and SIGCONT; kill(1) sends them to the whole process group, which setsid made
     * the instance's own.
     */
    private void groupSignal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal, e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
