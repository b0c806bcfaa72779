package io.hybridstore.gateway.write;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the deletes of displaced blobs, prefix {@code hybridstore.gateway.discard}; documented in the README.
 *
 * @param delay      how long displaced blobs gather before their nodes are asked to delete them, one request per
 *                   node for all of them
 * @param maxPending displaced blobs a gateway holds at most; beyond, they are left for the healer's garbage
 *                   collection
 */
@Validated
@ConfigurationProperties("hybridstore.gateway.discard")
public record DiscardProperties(
        @DefaultValue("50ms") Duration delay,
        @DefaultValue("100000") @Min(0) int maxPending) {
}
