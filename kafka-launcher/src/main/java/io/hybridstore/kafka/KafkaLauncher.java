package io.hybridstore.kafka;

import kafka.Kafka;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one Apache Kafka process in KRaft mode (combined broker and controller) for the local cluster and the tests.
 * It writes {@code server.properties} next to the data directory, formats the directory on first start, and then
 * hands over to Kafka's own entry point, which installs the shutdown hook that stops the broker cleanly on SIGTERM.
 * The heap is the caller's choice ({@code java -Xmx...}).
 */
public final class KafkaLauncher {

    private static final Logger log = LoggerFactory.getLogger(KafkaLauncher.class);

    private KafkaLauncher() {
    }

    public static void main(String[] args) throws IOException {
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(LauncherOptions.USAGE);
            System.exit(2);
            return;
        }
        Path config = options.dataDir().resolveSibling(options.dataDir().getFileName() + ".server.properties");
        BrokerProperties.write(BrokerProperties.of(options), config);
        formatIfNeeded(options, config);
        log.info("starting Kafka node {} on {}:{} (controller :{}), data in {}", options.nodeId(),
                options.listenHost(), options.port(), options.controllerPort(), options.dataDir());
        Kafka.main(new String[] {config.toString()});
    }

    /**
     * Formats an empty data directory. A formatted one keeps its cluster id in meta.properties, so restarts reuse
     * the same log instead of failing on a cluster id mismatch.
     */
    private static void formatIfNeeded(LauncherOptions options, Path config) {
        if (Files.exists(options.dataDir().resolve("meta.properties"))) {
            return;
        }
        String clusterId = options.clusterId().orElseGet(() -> Uuid.randomUuid().toString());
        log.info("formatting {} with cluster id {}", options.dataDir(), clusterId);
        int rc = StorageTool.execute(
                new String[] {"format", "--cluster-id", clusterId, "--config", config.toString(), "--ignore-formatted"},
                System.out);
        if (rc != 0) {
            log.error("formatting {} failed with exit code {}", options.dataDir(), rc);
            System.exit(rc);
        }
    }
}
