package io.hybridstore.cluster;

import java.nio.file.Path;

/**
 * Where a cluster keeps its state: {@code pids/NAME.pid}, {@code logs/NAME.log}, {@code data/NAME/}, {@code lib/}
 * (copies of the jars, so that rebuilding the project while the cluster runs cannot swap classes out from under a
 * running JVM) and {@code cluster.env} (the settings {@code up} ran with, read by every later command).
 */
public record RunDir(Path root) {

    public RunDir {
        root = root.toAbsolutePath().normalize();
    }

    public Path pidFile(Instance instance) {
        return root.resolve("pids").resolve(instance.name() + ".pid");
    }

    public Path pids() {
        return root.resolve("pids");
    }

    public Path logFile(String name) {
        return root.resolve("logs").resolve(name + ".log");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path dataDir(String name) {
        return root.resolve("data").resolve(name);
    }

    public Path data() {
        return root.resolve("data");
    }

    public Path jar(String module) {
        return root.resolve("lib").resolve(module + ".jar");
    }

    public Path clusterEnv() {
        return root.resolve("cluster.env");
    }
}
