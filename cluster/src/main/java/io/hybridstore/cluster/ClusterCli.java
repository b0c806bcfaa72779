package io.hybridstore.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The launcher's command line, which scripts/cluster.sh execs once Java, the packages and the jars are in place:
 * {@code up [--etcd-members 1|3] [--clean] [--build] | down | clean | status | modules |
 * start|stop|kill|restart|pause|resume|logs NAME}. The repository is the system property {@code hybridstore.repo}.
 */
public final class ClusterCli {

    private ClusterCli() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(List.of(args)));
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            log("error: " + e.getMessage());
            System.exit(1);
        }
    }

    private static int run(List<String> args) throws IOException {
        String command = args.isEmpty() ? "help" : args.getFirst();
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        Path repo = Path.of(System.getProperty("hybridstore.repo", ".")).toAbsolutePath().normalize();
        Map<String, String> env = new HashMap<>(System.getenv());
        Path runDir = Path.of(env.getOrDefault("HS_RUN_DIR", repo.resolve("run").toString())).toAbsolutePath();
        env.put("HS_RUN_DIR", runDir.toString());
        switch (command) {
            case "up" -> {
                boolean clean = false;
                for (int i = 0; i < rest.size(); i++) {
                    String option = rest.get(i);
                    switch (option) {
                        case "--clean" -> clean = true;
                        // cluster.sh has rebuilt the jars already
                        case "--build" -> { }
                        case "--etcd-members" -> {
                            if (i + 1 == rest.size()) {
                                throw new IllegalArgumentException("--etcd-members needs 1 or 3");
                            }
                            env.put("HS_ETCD_MEMBERS", rest.get(++i));
                        }
                        default -> {
                            if (!option.startsWith("--etcd-members=")) {
                                throw new IllegalArgumentException("up: unknown option " + option);
                            }
                            env.put("HS_ETCD_MEMBERS", option.substring(option.indexOf('=') + 1));
                        }
                    }
                }
                Cluster cluster = Cluster.of(repo, env, ClusterCli::log);
                cluster.up(clean);
                System.out.print(cluster.status());
                System.out.println();
                Topology topology = cluster.topology();
                if (topology.instancesOf(Topology.NGINX).isEmpty()) {
                    System.out.println("HybridStore is up without gateways (HS_GATEWAYS=0), so without nginx.");
                } else {
                    System.out.println("HybridStore is up: " + topology.url(topology.instance(Topology.NGINX, 1)) + "/");
                }
                System.out.println("Logs: " + cluster.launcher().runDir().logs() + "/   (scripts/cluster.sh logs NAME)");
                return 0;
            }
            // The jars `up` needs built, for cluster.sh (which builds before it starts this launcher's `up`).
            case "modules" -> {
                System.out.println(String.join(" ", Topology.load(env).modules()));
                return 0;
            }
            case "help", "-h", "--help" -> {
                usage();
                return 0;
            }
            default -> {
                return onRunning(command, rest, Cluster.of(repo, Cluster.withSaved(runDir, env), ClusterCli::log));
            }
        }
    }

    private static int onRunning(String command, List<String> rest, Cluster cluster) throws IOException {
        Launcher launcher = cluster.launcher();
        switch (command) {
            case "down" -> cluster.down();
            case "clean" -> cluster.clean();
            case "status" -> System.out.print(cluster.status());
            case "start", "stop", "restart", "kill", "pause", "resume", "logs" -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("missing NAME (one of: " + String.join(" ",
                            cluster.topology().instances().stream().map(Instance::name).toList()) + ")");
                }
                Instance instance = launcher.instance(rest.getFirst());
                switch (command) {
                    case "start" -> launcher.startAndAwait(List.of(instance));
                    case "stop" -> launcher.stop(List.of(instance));
                    case "restart" -> {
                        launcher.stop(List.of(instance));
                        launcher.startAndAwait(List.of(instance));
                    }
                    case "kill" -> launcher.kill(instance);
                    case "pause" -> launcher.pause(instance);
                    case "resume" -> launcher.resume(instance);
                    default -> {
                        return tail(launcher.runDir().logFile(instance.name()));
                    }
                }
            }
            default -> {
                usage();
                return 2;
            }
        }
        return 0;
    }

    private static int tail(Path log) throws IOException {
        try {
            return new ProcessBuilder("tail", "-n", "100", "-F", log.toString()).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private static void usage() {
        System.out.println("""
                scripts/cluster.sh up [--etcd-members 1|3] [--clean] [--build]
                scripts/cluster.sh down | clean | status | build
                scripts/cluster.sh deps      (installs what the cluster needs; prints the JAVA_HOME of a Java 25)
                scripts/cluster.sh start|stop|kill|restart|pause|resume NAME    (NAME e.g. storage-node-2, gateway-1, etcd-1)
                scripts/cluster.sh logs NAME

                Settings (environment): HS_RUN_DIR, HS_PORT_OFFSET, HS_STORAGE_NODES, HS_GATEWAYS, HS_HEALERS, HS_ETCD_MEMBERS,
                HS_JAVA_OPTS_EXTRA, HS_HEAP_<SERVICE>, HS_HEALTH_TIMEOUT, HS_STOP_TIMEOUT. Any HYBRIDSTORE_*, SPRING_*, SERVER_*,
                MANAGEMENT_* or LOGGING_* variable reaches the Spring services unchanged (relaxed binding).
                The topology (services, counts, ports, heaps, JVM flags) is cluster/src/main/resources/io/hybridstore/cluster/topology.properties.""");
    }

    static void log(String line) {
        System.err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
    }
}
