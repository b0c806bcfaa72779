package io.hybridstore.gateway;

import io.etcd.jetcd.Client;
import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.etcd.EtcdProperties;
import io.hybridstore.common.manifest.VersionIds;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.gateway.write.RecentManifests;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.time.Clock;
import java.time.Duration;

/** The plain-Java collaborators of the gateway, wired once. */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Bound by the record's constructor: common, where the settings are defined, knows nothing of Spring. */
    @Bean
    EtcdProperties etcdProperties(Environment environment) {
        return Binder.get(environment).bindOrCreate(EtcdProperties.PREFIX, EtcdProperties.class);
    }

    @Bean(destroyMethod = "close")
    Client etcdClient(EtcdProperties etcd) {
        return etcd.clientBuilder().build();
    }

    @Bean
    EtcdKeys etcdKeys(EtcdProperties etcd) {
        return etcd.keys();
    }

    @Bean
    ManifestStore manifestStore(Client etcd, EtcdKeys keys, EtcdProperties properties) {
        return new ManifestStore(etcd.getKVClient(), keys, properties.requestTimeout());
    }

    @Bean
    NodeDirectory nodeDirectory(Client etcd, EtcdKeys keys, GatewayProperties properties, EtcdProperties etcdProperties,
                                Clock clock) {
        return new NodeDirectory(etcd.getKVClient(), keys, properties.nodeCacheTime(), etcdProperties.requestTimeout(),
                clock);
    }

    @Bean
    StorageNodeClient storageNodeClient(ClusterAuth auth, GatewayProperties properties) {
        return new StorageNodeClient(auth, Duration.ofSeconds(2), properties.nodeTimeout());
    }

    @Bean
    RecentManifests recentManifests(GatewayProperties properties) {
        return new RecentManifests(properties.recentManifests());
    }

    @Bean
    VersionIds versionIds(Clock clock) {
        return new VersionIds(clock);
    }
}
