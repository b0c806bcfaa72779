package io.hybridstore.gateway;

import io.etcd.jetcd.Client;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.manifest.VersionIds;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.StorageNodeClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

/** The plain-Java collaborators of the gateway, wired once. */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    Client etcdClient(EtcdProperties etcd) {
        return Client.builder().endpoints(etcd.endpoints().toArray(String[]::new)).build();
    }

    @Bean
    EtcdKeys etcdKeys(EtcdProperties etcd) {
        return new EtcdKeys(etcd.prefix());
    }

    @Bean
    ManifestStore manifestStore(Client etcd, EtcdKeys keys, GatewayProperties properties) {
        return new ManifestStore(etcd.getKVClient(), keys, properties.metadataTimeout());
    }

    @Bean
    NodeDirectory nodeDirectory(Client etcd, EtcdKeys keys, GatewayProperties properties, Clock clock) {
        return new NodeDirectory(etcd.getKVClient(), keys, properties.nodeCacheTime(), properties.metadataTimeout(), clock);
    }

    @Bean
    StorageNodeClient storageNodeClient(GatewayProperties properties) {
        return new StorageNodeClient(Duration.ofSeconds(2), properties.nodeTimeout());
    }

    @Bean
    VersionIds versionIds(Clock clock) {
        return new VersionIds(clock);
    }
}
