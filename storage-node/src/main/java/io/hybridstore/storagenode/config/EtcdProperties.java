package io.hybridstore.storagenode.config;

import io.hybridstore.common.etcd.EtcdKeys;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.util.List;

/**
 * The etcd cluster shared by all HybridStore services, prefix {@code hybridstore.etcd}.
 *
 * @param endpoints client URLs (a comma-separated list in properties)
 * @param prefix    key prefix of this HybridStore installation
 */
@Validated
@ConfigurationProperties("hybridstore.etcd")
public record EtcdProperties(
        @NotEmpty @DefaultValue("http://127.0.0.1:2379") List<String> endpoints,
        @NotBlank @DefaultValue(EtcdKeys.DEFAULT_PREFIX) String prefix) {

    public EtcdKeys keys() {
        return new EtcdKeys(prefix);
    }
}
