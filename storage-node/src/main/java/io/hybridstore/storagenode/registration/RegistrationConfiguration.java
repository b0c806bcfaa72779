package io.hybridstore.storagenode.registration;

import io.etcd.jetcd.Client;
import io.hybridstore.common.etcd.EtcdProperties;
import io.hybridstore.storagenode.api.BlobWireEndpoint;
import io.hybridstore.storagenode.config.StorageNodeProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
class RegistrationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RegistrationConfiguration.class);
    private static final String ENABLED = "hybridstore.storage-node.registration.enabled";

    /** Bound by the record's constructor: common, where the settings are defined, knows nothing of Spring. */
    @Bean
    EtcdProperties etcdProperties(Environment environment) {
        return Binder.get(environment).bindOrCreate(EtcdProperties.PREFIX, EtcdProperties.class);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnBooleanProperty(name = ENABLED, matchIfMissing = true)
    EtcdRegistration etcdRegistration(StorageNodeProperties node, EtcdProperties etcd, Clock clock) {
        Client client = etcd.clientBuilder()
                .connectTimeout(node.registration().ttl().dividedBy(3))
                .retryMaxDuration(node.registration().ttl())
                .build();
        return new EtcdRegistration(client, etcd.keys().node(node.nodeId()), node.registration().ttl(), clock);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = ENABLED, havingValue = false)
    RegistrationStatus standalone() {
        log.warn("Registration disabled: running standalone, invisible to gateways and healers."
                + " For benchmarks and tests only, not for production");
        return new RegistrationStatus() {
            @Override
            public boolean registered() {
                return true;
            }

            @Override
            public String describe() {
                return "standalone (registration disabled)";
            }
        };
    }

    @Bean
    RegistrationStarter registrationStarter(StorageNodeProperties node, JsonMapper json,
                                            ObjectProvider<EtcdRegistration> etcd, BlobWireEndpoint wire) {
        return new RegistrationStarter(node, json, etcd, wire);
    }
}
