package io.hybridstore.gateway;

import jakarta.validation.constraints.NotEmpty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.util.List;

/**
 * Where etcd is, prefix {@code hybridstore.etcd}.
 *
 * @param endpoints client URLs of the etcd members
 * @param prefix    the key prefix all of HybridStore's etcd keys live under
 */
@Validated
@ConfigurationProperties("hybridstore.etcd")
public record EtcdProperties(
        @DefaultValue("http://127.0.0.1:2379") @NotEmpty List<String> endpoints,
        @DefaultValue("/hybridstore/") String prefix) {
}
