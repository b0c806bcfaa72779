package io.hybridstore.kafka;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LauncherOptionsTest {

    @Test
    void defaultsDescribeTheLocalBrokerOn9092() {
        var options = LauncherOptions.parse();

        assertThat(options.port()).isEqualTo(9092);
        assertThat(options.controllerPort()).isEqualTo(9093);
        assertThat(options.nodeId()).isEqualTo(1);
        assertThat(options.listenHost()).isEqualTo("127.0.0.1");
        assertThat(options.advertisedHost()).isEqualTo("127.0.0.1");
        assertThat(options.clusterId()).isEmpty();
    }

    @Test
    void controllerPortFollowsTheClientPortUnlessGiven() {
        assertThat(LauncherOptions.parse("--port", "19092").controllerPort()).isEqualTo(19093);
        assertThat(LauncherOptions.parse("--port=19092", "--controller-port=29093").controllerPort()).isEqualTo(29093);
    }

    @Test
    void propertiesOverrideTheGeneratedConfig() {
        var options = LauncherOptions.parse("--data-dir", "/tmp/k", "--advertised-host", "kafka-1",
                "--property", "log.retention.hours=1", "--property=num.partitions=3");

        Map<String, String> props = BrokerProperties.of(options);

        assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/k"));
        assertThat(props).containsEntry("log.retention.hours", "1")
                .containsEntry("num.partitions", "3")
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
                .containsEntry("advertised.listeners", "PLAINTEXT://kafka-1:9092")
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("min.insync.replicas", "1")
                .containsEntry("log.dirs", "/tmp/k");
    }

    @Test
    void badArgumentsAreRejectedWithTheFlagName() {
        assertThatThrownBy(() -> LauncherOptions.parse("--port", "x")).hasMessageContaining("--port");
        assertThatThrownBy(() -> LauncherOptions.parse("--nope", "1")).hasMessageContaining("--nope");
        assertThatThrownBy(() -> LauncherOptions.parse("--port")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> LauncherOptions.parse("--port", "9092", "--controller-port", "9092"))
                .hasMessageContaining("differ");
        assertThatThrownBy(() -> LauncherOptions.parse("--property", "novalue")).hasMessageContaining("key=value");
    }
}
