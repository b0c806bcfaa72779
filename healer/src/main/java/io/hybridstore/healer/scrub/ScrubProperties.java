package io.hybridstore.healer.scrub;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How the leader re-verifies stored bytes ({@code hybridstore.healer.scrub.*}). The repair scan only asks whether
 * each blob is present; a scrub has every node read every blob it holds for a manifest and check its CRC32C, which
 * costs disk bandwidth, so it runs on its own, slower cycle and under a byte rate.
 *
 * @param interval       a new scrub cycle starts this long after the previous one started (or when it ends, if
 *                       it took longer)
 * @param bytesPerSecond stored bytes (replicas and shards) verified per second across the cluster
 */
@Validated
@ConfigurationProperties("hybridstore.healer.scrub")
public record ScrubProperties(
        @DefaultValue("24h") @NotNull Duration interval,
        @DefaultValue("32MB") @NotNull DataSize bytesPerSecond) {
}
