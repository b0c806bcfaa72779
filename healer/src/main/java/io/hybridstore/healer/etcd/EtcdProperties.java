package io.hybridstore.healer.etcd;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * How to reach etcd ({@code hybridstore.etcd.*}); the same prefix and names are used by every service.
 *
 * @param endpoints      client URLs of the etcd members; a comma-separated string binds too
 * @param prefix         root of HybridStore's keys in etcd
 * @param requestTimeout upper bound for one etcd call made by this process
 */
@Validated
@ConfigurationProperties("hybridstore.etcd")
public record EtcdProperties(
        @DefaultValue("http://127.0.0.1:2379") @NotEmpty List<@NotBlank String> endpoints,
        @DefaultValue("/hybridstore/") @NotBlank String prefix,
        @DefaultValue("3s") Duration requestTimeout) {
}
