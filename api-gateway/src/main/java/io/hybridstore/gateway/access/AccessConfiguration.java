package io.hybridstore.gateway.access;

import io.etcd.jetcd.Client;
import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.etcd.EtcdProperties;
import io.hybridstore.gateway.s3.S3Properties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AccessConfiguration.class);

    /** The configured root key ({@code hybridstore.s3.access-key} and {@code secret-key}) is one of them. */
    @Bean
    AccessKeys accessKeys(Client etcd, EtcdKeys keys, EtcdProperties etcdProperties, ClusterAuth auth,
                          ClientAuthProperties properties, S3Properties s3, Clock clock) {
        Optional<AccessKeys.Credentials> root = s3.accessKey().isEmpty() || s3.secretKey().isEmpty() ? Optional.empty()
                : Optional.of(new AccessKeys.Credentials(new AccessKey(s3.accessKey(), true, List.of(), 0),
                        s3.secretKey()));
        return new AccessKeys(etcd.getKVClient(), keys, etcdProperties.requestTimeout(), new SecretSeal(auth), clock,
                properties.accessKeyCacheTime(), root);
    }

    /** Before the object calls ({@code ObjectApi} comes next), so that every call knows its caller. */
    @Bean
    FilterRegistrationBean<NativeAuthFilter> nativeAuthFilter(AccessKeys keys, ClientAuthProperties properties,
                                                              S3Properties s3, MeterRegistry meters) {
        if (properties.auth() == ClientAuthProperties.AuthMode.NONE) {
            log.warn("hybridstore.gateway.auth=none: the native API accepts anonymous reads, writes and deletes of"
                    + " every key; set it to 'required' wherever clients other than your own can reach port 8000");
        }
        FilterRegistrationBean<NativeAuthFilter> registration = new FilterRegistrationBean<>(
                new NativeAuthFilter(keys, properties.auth(), s3.enabled() ? s3.port() : -1, meters));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
