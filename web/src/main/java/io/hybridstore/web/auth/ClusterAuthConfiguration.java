package io.hybridstore.web.auth;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.auth.InternalAuthProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The cluster secret of every service, which signs what it asks of the others (imported by each service). */
@Configuration(proxyBeanMethods = false)
public class ClusterAuthConfiguration {

    /** Bound by the record's constructor: common, where the settings are defined, knows nothing of Spring. */
    @Bean
    InternalAuthProperties internalAuthProperties(Environment environment) {
        return Binder.get(environment).bindOrCreate(InternalAuthProperties.PREFIX, InternalAuthProperties.class);
    }

    @Bean
    ClusterAuth clusterAuth(InternalAuthProperties properties) {
        return ClusterAuth.of(properties);
    }

    @Bean
    AuthRefusals authRefusals(MeterRegistry registry) {
        return new AuthRefusals(registry);
    }
}
