package io.hybridstore.gateway.memory;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class MemoryConfiguration {

    @Bean
    MemoryBudget memoryBudget(MemoryProperties properties, MeterRegistry meters) {
        return new MemoryBudget(properties.maxInFlightBytes().toBytes(), properties.maxWait(), meters);
    }
}
