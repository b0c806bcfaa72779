package io.hybridstore.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Command-line options of the launcher. Every flag takes a value, as {@code --flag value} or {@code --flag=value};
 * {@code --property key=value} (repeatable) adds or overrides a raw broker property.
 *
 * @param port           client (PLAINTEXT) listener port
 * @param controllerPort KRaft controller listener port; defaults to {@code port + 1}
 * @param dataDir        log and metadata directory; formatted on first start
 * @param nodeId         KRaft node id (broker and controller are the same node)
 * @param listenHost     interface both listeners bind to
 * @param advertisedHost host name clients are told to connect to
 * @param clusterId      cluster id used when formatting an empty data dir; random when absent
 * @param overrides      raw broker properties applied last
 */
record LauncherOptions(int port, int controllerPort, Path dataDir, int nodeId, String listenHost,
                       String advertisedHost, Optional<String> clusterId, Map<String, String> overrides) {

    static final String USAGE = """
            usage: java -jar kafka-launcher.jar [options]
              --port N              client listener port (default 9092)
              --controller-port N   controller listener port (default port+1)
              --data-dir DIR        data directory (default ./kafka-data)
              --node-id N           KRaft node id (default 1)
              --listen-host HOST    bind address of both listeners (default 127.0.0.1)
              --advertised-host H   host advertised to clients (default: listen host)
              --cluster-id ID       cluster id for a fresh data dir (default: random, then persisted)
              --property K=V        extra broker property (repeatable)
            """;

    LauncherOptions {
        requirePort(port, "--port");
        requirePort(controllerPort, "--controller-port");
        if (port == controllerPort) {
            throw new IllegalArgumentException("--port and --controller-port must differ");
        }
        overrides = Map.copyOf(overrides);
    }

    static LauncherOptions parse(String... args) {
        var values = new LinkedHashMap<String, String>();
        var overrides = new LinkedHashMap<String, String>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + flag);
            }
            String value;
            int eq = flag.indexOf('=');
            if (eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            if (flag.equals("--property")) {
                int sep = value.indexOf('=');
                if (sep <= 0) {
                    throw new IllegalArgumentException("--property needs key=value, got: " + value);
                }
                overrides.put(value.substring(0, sep), value.substring(sep + 1));
            } else {
                values.put(flag, value);
            }
        }
        int port = intValue(values.remove("--port"), 9092, "--port");
        int controllerPort = intValue(values.remove("--controller-port"), port + 1, "--controller-port");
        Path dataDir = Path.of(values.getOrDefault("--data-dir", "kafka-data")).toAbsolutePath();
        values.remove("--data-dir");
        int nodeId = intValue(values.remove("--node-id"), 1, "--node-id");
        String listenHost = Optional.ofNullable(values.remove("--listen-host")).orElse("127.0.0.1");
        String advertisedHost = Optional.ofNullable(values.remove("--advertised-host")).orElse(listenHost);
        Optional<String> clusterId = Optional.ofNullable(values.remove("--cluster-id"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): " + String.join(", ", values.keySet()));
        }
        return new LauncherOptions(port, controllerPort, dataDir, nodeId, listenHost, advertisedHost, clusterId,
                overrides);
    }

    private static int intValue(String raw, int fallback, String flag) {
        if (raw == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be an integer, got: " + raw, e);
        }
    }

    private static void requirePort(int port, String flag) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(flag + " out of range: " + port);
        }
    }
}
