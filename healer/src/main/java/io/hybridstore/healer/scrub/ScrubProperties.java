package io.hybridstore.healer.scrub;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Scrubbing: every blob on every node re-verified against its CRC32C ({@code hybridstore.healer.scrub.*}).
 *
 * @param enabled        false turns scrubbing off
 * @param cycle          target time for one sweep over every blob of the cluster; the pace follows from it
 * @param batchSize      blob ids verified per check request
 * @param maxBlobsPerSecond upper bound of the pace whatever the cycle, so a short cycle cannot starve clients
 */
@Validated
@ConfigurationProperties("hybridstore.healer.scrub")
public record ScrubProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("24h") @NotNull Duration cycle,
        @DefaultValue("100") @Min(1) int batchSize,
        @DefaultValue("200") @Min(1) int maxBlobsPerSecond) {
}
