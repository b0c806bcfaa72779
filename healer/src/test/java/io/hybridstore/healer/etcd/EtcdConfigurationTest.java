package io.hybridstore.healer.etcd;

import io.hybridstore.common.etcd.EtcdProperties;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EtcdConfigurationTest {

    @Test
    void theSharedSettingsBindFromTheirPropertyNames() {
        EtcdProperties properties = bind(Map.of(
                "hybridstore.etcd.endpoints", "http://a:2379, http://b:2379",
                "hybridstore.etcd.prefix", "/test/",
                "hybridstore.etcd.request-timeout", "750ms"));
        assertThat(properties.endpoints()).containsExactly("http://a:2379", "http://b:2379");
        assertThat(properties.prefix()).isEqualTo("/test/");
        assertThat(properties.requestTimeout()).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void environmentVariablesBindToo() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("HYBRIDSTORE_ETCD_REQUESTTIMEOUT", "2s")));
        assertThat(new EtcdConfiguration().etcdProperties(environment).requestTimeout())
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void nothingSetGivesTheDefaults() {
        assertThat(bind(Map.of())).isEqualTo(EtcdProperties.plain(null, null, null));
    }

    private static EtcdProperties bind(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        return new EtcdConfiguration().etcdProperties(environment);
    }
}
