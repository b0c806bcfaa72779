package io.hybridstore.gateway.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How clients of the native API prove who they are, beside the other gateway settings (prefix
 * {@code hybridstore.gateway}); documented in the README.
 *
 * @param auth               {@code none}: a request without credentials may do everything, as in the original
 *                           API (credentials that are sent are still checked and their grants enforced);
 *                           {@code required}: every request but health and metrics needs an access key
 * @param accessKeyCacheTime how long a gateway trusts what it read of an access key: a deleted or changed key is
 *                           honoured by every gateway within this time
 */
@ConfigurationProperties("hybridstore.gateway")
public record ClientAuthProperties(
        @DefaultValue("none") AuthMode auth,
        @DefaultValue("2s") Duration accessKeyCacheTime) {

    public enum AuthMode {
        NONE, REQUIRED
    }
}
