package io.hybridstore.gateway.api;

import io.hybridstore.gateway.GatewayProperties;
import io.hybridstore.gateway.delete.DeleteCoordinator;
import io.hybridstore.gateway.memory.MemoryBudget;
import io.hybridstore.gateway.read.ReadCoordinator;
import io.hybridstore.gateway.s3.S3Properties;
import io.hybridstore.gateway.write.WriteCoordinator;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

    /**
     * Right after the client's authentication, beside the S3 API: the S3 port's requests are the S3 API's, every
     * other port's are ours.
     */
    @Bean
    FilterRegistrationBean<ObjectApi> objectApi(WriteCoordinator writes, ReadCoordinator reads,
                                                DeleteCoordinator deletes, GatewayProperties properties,
                                                MemoryBudget memory, MeterRegistry meters, S3Properties s3) {
        FilterRegistrationBean<ObjectApi> registration = new FilterRegistrationBean<>(
                new ObjectApi(writes, reads, deletes, properties, memory, s3.enabled() ? s3.port() : -1, meters));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
