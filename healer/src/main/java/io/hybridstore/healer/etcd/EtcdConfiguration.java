package io.hybridstore.healer.etcd;

import io.etcd.jetcd.Client;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.etcd.EtcdProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.time.Duration;

@Configuration(proxyBeanMethods = false)
class EtcdConfiguration {

    /** Bound by the record's constructor: common, where the settings are defined, knows nothing of Spring. */
    @Bean
    EtcdProperties etcdProperties(Environment environment) {
        return Binder.get(environment).bindOrCreate(EtcdProperties.PREFIX, EtcdProperties.class);
    }

    /**
     * Connecting is lazy in jetcd, so the healer starts (and answers /health) while etcd is still down; the election
     * simply keeps retrying until etcd answers.
     */
    @Bean(destroyMethod = "close")
    Client etcdClient(EtcdProperties properties) {
        return properties.clientBuilder()
                .connectTimeout(properties.requestTimeout())
                .keepaliveTime(Duration.ofSeconds(5))
                .keepaliveTimeout(Duration.ofSeconds(3))
                .build();
    }

    @Bean
    EtcdKeys etcdKeys(EtcdProperties properties) {
        return properties.keys();
    }
}
