package io.hybridstore.gateway.hotfields;

import io.etcd.jetcd.Client;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.etcd.EtcdProperties;
import io.hybridstore.gateway.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.Set;

@Configuration(proxyBeanMethods = false)
class HotFieldConfiguration {

    @Bean(destroyMethod = "close")
    HotFieldLearner hotFieldLearner(Client etcd, EtcdKeys keys, EtcdProperties etcdProperties,
                                    LearningProperties settings, GatewayProperties gateway, Clock clock,
                                    MeterRegistry meters) {
        return new HotFieldLearner(etcd.getKVClient(), etcd.getWatchClient(), keys, etcdProperties.requestTimeout(),
                settings, Set.copyOf(gateway.hotFields()), gateway.id(), clock, meters);
    }
}
