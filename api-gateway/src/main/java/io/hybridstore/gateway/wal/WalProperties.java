package io.hybridstore.gateway.wal;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The write-ahead log of intents, prefix {@code hybridstore.wal}.
 *
 * @param topic             Kafka topic of the log; created at start-up when missing
 * @param partitions        partitions of a newly created topic
 * @param replicationFactor replication factor of a newly created topic (3 on a production Kafka/Redpanda cluster)
 * @param appendTimeout     time an append may take before the operation fails with 503
 * @param heartbeatInterval while an operation runs, its PENDING record is appended again this often, so the healer
 *                          does not roll back a write that is slow (a large upload) rather than dead; keep it well
 *                          below the healer's {@code rollback.zombie-timeout}
 * @param closeDelay        how long closing records and heartbeats are held so that those of concurrent operations
 *                          go to the broker in one request; 0 sends each at once. Far below the healer's
 *                          {@code rollback.zombie-timeout}: a record held longer only makes the healer look up the
 *                          intent's outcome in etcd
 */
@Validated
@ConfigurationProperties("hybridstore.wal")
public record WalProperties(
        @DefaultValue("hybridstore-wal") @NotBlank String topic,
        @DefaultValue("6") @Min(1) int partitions,
        @DefaultValue("1") @Min(1) short replicationFactor,
        @DefaultValue("5s") Duration appendTimeout,
        @DefaultValue("10s") Duration heartbeatInterval,
        @DefaultValue("100ms") Duration closeDelay) {
}
