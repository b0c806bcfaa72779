package io.hybridstore.web.auth;

import io.hybridstore.common.auth.ClusterAuth;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/**
 * For a service whose HTTP endpoints are the cluster's own (storage nodes, healers): every request but health and
 * metrics must be signed by one of its services ({@link InternalEndpointsFilter}).
 */
@Configuration(proxyBeanMethods = false)
@Import(ClusterAuthConfiguration.class)
public class InternalEndpointsConfiguration {

    /** First of all filters, so that nothing of an unproven request runs. */
    @Bean
    FilterRegistrationBean<InternalEndpointsFilter> internalEndpointsFilter(ClusterAuth auth, AuthRefusals refusals) {
        FilterRegistrationBean<InternalEndpointsFilter> registration =
                new FilterRegistrationBean<>(new InternalEndpointsFilter(auth, refusals));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
