package io.hybridstore.common.etcd;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EtcdPropertiesTest {

    @Test
    void settingsLeftOutGetTheirDefaults() {
        EtcdProperties properties = EtcdProperties.plain(null, null, null);
        assertThat(properties.endpoints()).containsExactly("http://127.0.0.1:2379");
        assertThat(properties.prefix()).isEqualTo("/hybridstore/");
        assertThat(properties.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void endpointsAreTrimmed() {
        assertThat(EtcdProperties.plain(List.of("http://a:2379", " http://b:2379"), "/x/", Duration.ofSeconds(1))
                .endpoints()).containsExactly("http://a:2379", "http://b:2379");
    }

    @Test
    void unusableSettingsAreRefusedAtStartup() {
        assertThatThrownBy(() -> EtcdProperties.plain(List.of(), null, null)).hasMessageContaining("endpoints");
        assertThatThrownBy(() -> EtcdProperties.plain(List.of("http://a:2379", " "), null, null))
                .hasMessageContaining("endpoints");
        assertThatThrownBy(() -> EtcdProperties.plain(null, " ", null)).hasMessageContaining("prefix");
        assertThatThrownBy(() -> EtcdProperties.plain(null, null, Duration.ZERO)).hasMessageContaining("request-timeout");
    }
}
