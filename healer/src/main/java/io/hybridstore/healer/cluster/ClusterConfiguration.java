package io.hybridstore.healer.cluster;

import io.etcd.jetcd.Client;
import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.etcd.EtcdProperties;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.healer.repair.RepairProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/** The plain-Java clients of etcd and the storage nodes that every healer feature shares. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    ManifestStore manifestStore(Client etcd, EtcdKeys keys, EtcdProperties properties) {
        return new ManifestStore(etcd.getKVClient(), keys, properties.requestTimeout());
    }

    @Bean
    NodeDirectory nodeDirectory(Client etcd, EtcdKeys keys, EtcdProperties properties, Clock clock) {
        return new NodeDirectory(etcd.getKVClient(), keys, Duration.ofSeconds(1), properties.requestTimeout(), clock);
    }

    @Bean
    StorageNodeClient storageNodeClient(ClusterAuth auth) {
        return new StorageNodeClient(auth, Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    @Bean
    NodeLiveness nodeLiveness(NodeDirectory nodes, RepairProperties repair, Clock clock) {
        return new NodeLiveness(nodes, repair.nodeGrace(), clock);
    }
}
