package io.hybridstore.storagenode.config;

import io.hybridstore.storagenode.store.BlobStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.time.Clock;

@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    BlobStore blobStore(StorageNodeProperties properties, Clock clock, MeterRegistry registry) throws IOException {
        return BlobStore.open(properties.storeConfig(), clock, registry);
    }
}
