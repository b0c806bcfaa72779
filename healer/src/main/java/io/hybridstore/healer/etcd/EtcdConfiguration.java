package io.hybridstore.healer.etcd;

import io.etcd.jetcd.Client;
import io.hybridstore.common.etcd.EtcdKeys;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

@Configuration(proxyBeanMethods = false)
class EtcdConfiguration {

    /**
     * Connecting is lazy in jetcd, so the healer starts (and answers /health) while etcd is still down; the election
     * simply keeps retrying until etcd answers.
     */
    @Bean(destroyMethod = "close")
    Client etcdClient(EtcdProperties properties) {
        return Client.builder()
                .endpoints(properties.endpoints().stream().map(String::trim).toArray(String[]::new))
                .connectTimeout(properties.requestTimeout())
                .keepaliveTime(Duration.ofSeconds(5))
                .keepaliveTimeout(Duration.ofSeconds(3))
                .build();
    }

    @Bean
    EtcdKeys etcdKeys(EtcdProperties properties) {
        return new EtcdKeys(properties.prefix());
    }
}
