package io.hybridstore.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's nginx.conf with every line marked {@code # local: KEY} rewritten for a run dir and its ports;
 * docker-compose mounts the same file as is, so the two cannot drift. A run of lines marked {@code gateway} (or
 * {@code gateway_s3}), an upstream's servers, becomes one server line per gateway of the topology.
 */
final class NginxConfig {

    private static final Pattern MARKER = Pattern.compile("# local: ([a-z0-9_]+)");
    private static final String TEMP_PATH = "_temp_path";

    private NginxConfig() {
    }

    static List<String> render(List<String> template, Topology topology, RunDir runDir, Instance nginx) {
        Path dir = runDir.dataDir(nginx.name());
        List<String> out = new ArrayList<>();
        String previous = null;
        for (String line : template) {
            Matcher marker = MARKER.matcher(line);
            String key = marker.find() ? marker.group(1) : null;
            boolean sameRun = key != null && key.equals(previous);
            previous = key;
            if (key == null) {
                out.add(line);
                continue;
            }
            String indent = line.substring(0, line.length() - line.stripLeading().length());
            switch (key) {
                case "gateway" -> {
                    if (!sameRun) {
                        for (Instance gateway : topology.instancesOf(nginx.service().fronts())) {
                            out.add(indent + "server 127.0.0.1:" + topology.port(gateway) + " max_fails=3 fail_timeout=5s;");
                        }
                    }
                }
                case "gateway_s3" -> {
                    if (!sameRun) {
                        for (Instance gateway : topology.instancesOf(nginx.service().fronts())) {
                            out.add(indent + "server 127.0.0.1:" + topology.secondPort(gateway)
                                    + " max_fails=3 fail_timeout=5s;");
                        }
                    }
                }
                case "listen_s3" -> out.add(indent + "listen 127.0.0.1:" + topology.secondPort(nginx) + ";");
                case "error_log" -> out.add(indent + "error_log " + runDir.logFile(nginx.name()) + " warn;");
                case "pid" -> out.add(indent + "pid " + dir.resolve("nginx.pid") + ";");
                case "access_log" -> out.add(indent + "access_log " + runDir.logFile(nginx.name() + ".access")
                        + " combined buffer=64k flush=1s;");
                case "listen" -> out.add(indent + "listen 127.0.0.1:" + topology.port(nginx) + ";");
                default -> {
                    if (!key.endsWith(TEMP_PATH)) {
                        throw new IllegalStateException("nginx.conf: unknown '# local: " + key + "' marker");
                    }
                    out.add(indent + key + " " + dir.resolve(key.substring(0, key.length() - TEMP_PATH.length())) + ";");
                }
            }
        }
        return out;
    }

    static void write(Path repo, Topology topology, RunDir runDir, Instance nginx, Path out) throws IOException {
        Files.write(out, render(Files.readAllLines(repo.resolve("nginx.conf")), topology, runDir, nginx));
    }
}
