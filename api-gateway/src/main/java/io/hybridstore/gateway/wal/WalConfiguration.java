package io.hybridstore.gateway.wal;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** The log topic as a bean: Spring's KafkaAdmin creates it at start-up when it is missing and the broker is up. */
@Configuration(proxyBeanMethods = false)
class WalConfiguration {

    @Bean
    NewTopic walTopic(WalProperties properties) {
        return TopicBuilder.name(properties.topic())
                .partitions(properties.partitions())
                .replicas(properties.replicationFactor())
                .build();
    }
}
