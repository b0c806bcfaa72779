package io.hybridstore.healer.repair;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How the leader scans manifests and repairs them ({@code hybridstore.healer.repair.*}).
 *
 * @param scanInterval       pause between the end of one full pass (repair, then garbage collection) and the next
 * @param pageSize           manifests read from etcd per page; the blobs of one page are checked with one call per node
 * @param objectsPerSecond   most manifests examined per second, so a scan never crowds out client traffic
 * @param parallelism        most repairs in flight at once; with {@code bytesPerSecond}, the budget that keeps a
 *                           rebuild from crowding out client traffic
 * @param nodeGrace          how long a node's lease must have been gone before its blobs are rebuilt elsewhere;
 *                           shorter outages (a restart) are waited out rather than paid for with a full rebuild
 * @param replicas           replicas a replicated part is brought up to
 * @param bytesPerSecond     most blob bytes repairs write per second, all repairs together
 */
@Validated
@ConfigurationProperties("hybridstore.healer.repair")
public record RepairProperties(
        @DefaultValue("60s") @NotNull Duration scanInterval,
        @DefaultValue("200") @Min(1) int pageSize,
        @DefaultValue("2000") @Min(1) int objectsPerSecond,
        @DefaultValue("64") @Min(1) int parallelism,
        @DefaultValue("30s") @NotNull Duration nodeGrace,
        @DefaultValue("3") @Min(1) int replicas,
        @DefaultValue("256MB") @NotNull DataSize bytesPerSecond) {
}
