package io.hybridstore.healer.gc;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Garbage collection of unreferenced blobs ({@code hybridstore.healer.gc.*}).
 *
 * @param enabled  false leaves unreferenced blobs alone
 * @param grace    a blob is collected only when seen unreferenced in two runs at least this far apart, on the
 *                 healer's own clock: it may belong to a write whose intent the healer has not read yet
 * @param pageSize blobs listed per request to a node
 * @param fenceRetention how long the rollback fence of a rolled-back version is kept; it must outlive any write
 *                 (a gateway checks the fence when it commits), so it is far longer than the zombie timeout
 * @param abandonedUploadAge an S3 multipart upload neither completed nor aborted this long after it began is
 *                 removed, its parts with it
 */
@Validated
@ConfigurationProperties("hybridstore.healer.gc")
public record GcProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("5m") @NotNull Duration grace,
        @DefaultValue("1000") @Min(1) int pageSize,
        @DefaultValue("24h") @NotNull Duration fenceRetention,
        @DefaultValue("7d") @NotNull Duration abandonedUploadAge) {
}
