package io.hybridstore.healer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of one healer process ({@code hybridstore.healer.*}).
 *
 * @param id       this healer's identity; it is the proposal value in the leader election, so it must be unique
 * @param leaseTtl TTL of the etcd lease that carries leadership; a dead leader is replaced after about this long
 */
@Validated
@ConfigurationProperties("hybridstore.healer")
public record HealerProperties(
        @DefaultValue("healer-1") @NotBlank String id,
        @DefaultValue("5s") @NotNull Duration leaseTtl) {

    public HealerProperties {
        if (leaseTtl != null && leaseTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("hybridstore.healer.lease-ttl must be at least 1s (etcd leases count whole seconds)");
        }
    }
}
