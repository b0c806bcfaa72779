package io.hybridstore.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of each instance; {@code up} and a later {@code start NAME} both come through here. */
final class CommandLines {

    /** Every service of the local cluster but nginx listens on loopback only: nothing else is its client. */
    private static final String LOOPBACK = "--server.address=127.0.0.1";

    private final Path repo;
    private final Topology topology;
    private final RunDir runDir;
    private final String java;

    CommandLines(Path repo, Topology topology, RunDir runDir) {
        this.repo = repo;
        this.topology = topology;
        this.runDir = runDir;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The identifying argument every command line carries: the instance's data dir. */
    String marker(Instance instance) {
        return runDir.dataDir(instance.name()).toString();
    }

    List<String> of(Instance instance) throws IOException {
        String name = instance.name();
        int port = topology.port(instance);
        return switch (instance.service().name()) {
            case Topology.ETCD -> etcd(instance, port);
            case Topology.KAFKA -> java(instance, List.of("--port", Integer.toString(port), "--controller-port",
                    Integer.toString(topology.secondPort(instance)), "--node-id", Integer.toString(instance.index()),
                    "--data-dir", marker(instance)));
            case Topology.STORAGE_NODE -> java(instance, List.of("--server.port=" + port, LOOPBACK, secretFile(),
                    "--hybridstore.storage-node.wire.address=127.0.0.1",
                    "--hybridstore.storage-node.node-id=" + name,
                    "--hybridstore.storage-node.data-dir=" + marker(instance),
                    "--hybridstore.storage-node.advertised-url=" + topology.url(instance),
                    "--hybridstore.storage-node.wire.port=" + topology.secondPort(instance),
                    "--hybridstore.etcd.endpoints=" + topology.etcdEndpoints()));
            case Topology.GATEWAY -> java(instance, List.of("--server.port=" + port, LOOPBACK, secretFile(),
                    "--hybridstore.s3.port=" + topology.secondPort(instance),
                    "--hybridstore.etcd.endpoints=" + topology.etcdEndpoints(),
                    "--spring.kafka.bootstrap-servers=" + topology.kafkaBootstrap(), "--hybridstore.gateway.id=" + name));
            case Topology.HEALER -> java(instance, List.of("--server.port=" + port, LOOPBACK, secretFile(),
                    "--hybridstore.etcd.endpoints=" + topology.etcdEndpoints(),
                    "--spring.kafka.bootstrap-servers=" + topology.kafkaBootstrap(), "--hybridstore.healer.id=" + name));
            case Topology.NGINX -> nginx(instance);
            default -> throw new IllegalArgumentException("no command line for " + name);
        };
    }

    private String secretFile() {
        return "--hybridstore.internal-auth.secret-file=" + ClusterSecret.ensure(runDir);
    }

    /**
     * Committed entries after which etcd snapshots and trims its raft log, which it holds in memory until then. At
     * etcd's default of 100,000, with every overwrite an entry of about a kilobyte, its resident memory grew from 225
     * to 550 MiB over a few YCSB runs.
     */
    static final String ETCD_SNAPSHOT_COUNT = "10000";

    private List<String> etcd(Instance instance, int port) {
        String client = "http://127.0.0.1:" + port;
        String peer = "http://127.0.0.1:" + topology.secondPort(instance);
        return List.of(executable("etcd"), "--name", instance.name(), "--data-dir", marker(instance), "--logger", "zap",
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", topology.etcdInitialCluster(),
                "--initial-cluster-token", "hybridstore-" + topology.portOffset(),
                "--initial-cluster-state", "new", "--auto-compaction-mode", "periodic",
                "--auto-compaction-retention", "10m", "--snapshot-count", ETCD_SNAPSHOT_COUNT);
    }

    private List<String> java(Instance instance, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + instance.service().heap()));
        command.addAll(topology.javaOpts());
        // Marks the process as ours: stop/kill refuse a pid whose command line lacks it.
        command.add("-Dhybridstore.instance=" + marker(instance));
        command.addAll(instance.service().javaOpts());
        command.addAll(List.of("-jar", runDir.jar(instance.service().module()).toString()));
        command.addAll(arguments);
        return command;
    }

    private List<String> nginx(Instance instance) throws IOException {
        Path dir = runDir.dataDir(instance.name());
        Path conf = dir.resolve("nginx.conf");
        NginxConfig.write(repo, topology, runDir, instance, conf);
        // Started by root, nginx would run its workers as an unprivileged user, who cannot reach the spool files in a
        // run dir under a private folder (a `mktemp -d` clone, /root): large answers were then cut off mid-body.
        String globals = "root".equals(System.getProperty("user.name")) ? "daemon off; user root;" : "daemon off;";
        return List.of(executable("nginx"), "-c", conf.toString(), "-p", dir.toString(),
                "-e", runDir.logFile(instance.name()).toString(), "-g", globals);
    }

    /** A program from PATH, or from /usr/sbin and /usr/bin where Debian puts nginx and etcd. */
    static String executable(String program) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin"));
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(program + " is not installed: run scripts/cluster.sh deps");
    }
}
