package io.hybridstore.gateway.memory;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the gateway's memory budget, prefix {@code hybridstore.gateway.memory}; documented in the README.
 *
 * @param maxInFlightBytes bytes of values the gateway holds for requests in flight, reads and writes together;
 *                         the default leaves a 512 MiB heap room for everything else
 * @param maxWait          how long a request waits for room in the budget before it is refused with 503
 */
@Validated
@ConfigurationProperties("hybridstore.gateway.memory")
public record MemoryProperties(
        @DefaultValue("160MB") DataSize maxInFlightBytes,
        @DefaultValue("2s") Duration maxWait) {
}
