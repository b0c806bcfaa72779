package io.hybridstore.cluster;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyTest {

    @Test
    void defaultsAreTheDocumentedCluster() {
        Topology topology = Topology.defaults();
        assertThat(topology.instances()).map(Instance::name).containsExactly("etcd-1", "kafka-1",
                "storage-node-1", "storage-node-2", "storage-node-3", "storage-node-4", "storage-node-5",
                "storage-node-6", "healer-1", "healer-2", "gateway-1", "gateway-2", "gateway-3", "nginx-1");
        assertThat(topology.port(topology.instance("nginx", 1))).isEqualTo(8000);
        assertThat(topology.port(topology.instance("storage-node", 6))).isEqualTo(8006);
        assertThat(topology.port(topology.instance("gateway", 3))).isEqualTo(8103);
        assertThat(topology.port(topology.instance("healer", 2))).isEqualTo(8202);
        assertThat(topology.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(topology.secondPort(topology.instance("kafka", 1))).isEqualTo(9093);
    }

    @Test
    void environmentOverridesCountsOffsetAndHeaps() {
        Topology topology = Topology.load(Map.of("HS_PORT_OFFSET", "13000", "HS_ETCD_MEMBERS", "3",
                "HS_STORAGE_NODES", "4", "HS_HEAP_GATEWAY", "1g", "HS_JAVA_OPTS_EXTRA", "-Dx=1 -Dy=2"));
        assertThat(topology.instancesOf("storage-node")).hasSize(4);
        assertThat(topology.etcdEndpoints())
                .isEqualTo("http://127.0.0.1:15379,http://127.0.0.1:15381,http://127.0.0.1:15383");
        assertThat(topology.etcdInitialCluster()).isEqualTo(
                "etcd-1=http://127.0.0.1:15380,etcd-2=http://127.0.0.1:15382,etcd-3=http://127.0.0.1:15384");
        assertThat(topology.service("gateway").heap()).isEqualTo("1g");
        assertThat(topology.javaOpts()).endsWith("-Dx=1", "-Dy=2");
        assertThat(topology.settings()).containsEntry("HS_ETCD_MEMBERS", "3").containsEntry("HS_STORAGE_NODES", "4")
                .containsEntry("HS_PORT_OFFSET", "13000").containsEntry("HS_HEAP_GATEWAY", "1g");
    }

    @Test
    void noGatewaysMeansNoNginx() {
        Topology topology = Topology.load(Map.of("HS_GATEWAYS", "0"));
        assertThat(topology.instancesOf("nginx")).isEmpty();
        assertThat(topology.modules()).doesNotContain("api-gateway").contains("storage-node", "healer", "kafka-launcher");
    }

    @Test
    void refusesAnEtcdMemberCountItCannotRun() {
        assertThatThrownBy(() -> Topology.load(Map.of("HS_ETCD_MEMBERS", "2")))
                .hasMessageContaining("HS_ETCD_MEMBERS must be one of 1,3");
        assertThatThrownBy(() -> Topology.load(Map.of("HS_PORT_OFFSET", "x"))).hasMessageContaining("HS_PORT_OFFSET");
    }
}
