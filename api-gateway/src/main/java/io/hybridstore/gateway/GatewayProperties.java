package io.hybridstore.gateway;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the gateway, prefix {@code hybridstore.gateway}; every one is documented in the README.
 *
 * @param id                 name of this gateway in logs and log records
 * @param maxBodySize        largest accepted write body; larger ones get 413
 * @param maxJsonDepth       deepest accepted nesting of a JSON body; deeper ones get 422
 * @param maxFieldNamesSize  largest total of a {@code field_hybrid} object's top-level field names as the manifest
 *                           lists them; more gets 422, since etcd refuses a manifest over its request limit
 * @param replicas           copies of a replicated object or hot part
 * @param writeQuorum        replicas that must be acknowledged before a replicated write can commit
 * @param commitRetries      conditional commits tried before a write gives up with 409
 * @param nodeTimeout        time allowed for one storage-node request
 * @param nodeCacheTime      how long the list of live storage nodes is reused before asking etcd again
 * @param deleteReceiptRetention how long a committed delete's receipt is kept under its request id, so a repeat
 *                           of the request (nginx retrying another gateway) answers the original result
 * @param nodeSuspectTime    how long a node that refused a connection or timed out is placed last; about its
 *                           registration TTL, after which its lease has either lapsed or shown it alive
 * @param recentManifests    manifests this gateway committed last that it keeps as the base of the key's next
 *                           write, saving that write's etcd read (0: none kept, every write reads etcd)
 * @param hotFields          top-level fields that {@code field_hybrid} always replicates; collections learn more
 * @param ec                 the erasure code of {@code ec} objects and {@code field_hybrid} cold parts
 */
@Validated
@ConfigurationProperties("hybridstore.gateway")
public record GatewayProperties(
        @DefaultValue("gateway-1") @NotBlank String id,
        @DefaultValue("64MB") DataSize maxBodySize,
        @DefaultValue("64") @Min(1) @Max(1000) int maxJsonDepth,
        @DefaultValue("512KB") DataSize maxFieldNamesSize,
        @DefaultValue("3") @Min(1) int replicas,
        @DefaultValue("2") @Min(1) int writeQuorum,
        @DefaultValue("5") @Min(1) int commitRetries,
        @DefaultValue("10s") Duration nodeTimeout,
        @DefaultValue("1s") Duration nodeCacheTime,
        @DefaultValue("10m") Duration deleteReceiptRetention,
        @DefaultValue("5s") Duration nodeSuspectTime,
        @DefaultValue("10000") @Min(0) int recentManifests,
        @DefaultValue({"like_count", "view_count", "inventory_count", "update_count", "status_code", "battery_level"})
        List<String> hotFields,
        @DefaultValue @Valid ErasureCoding ec) {

    /**
     * @param dataShards   k: data shards per stripe
     * @param parityShards m: parity shards per stripe; any m shards of a stripe may be lost
     * @param stripeSize   data bytes per stripe; a larger object is cut into several stripes, so a request never
     *                     holds more than one stripe's shards in memory at a time
     */
    public record ErasureCoding(
            @DefaultValue("4") @Min(1) int dataShards,
            @DefaultValue("2") @Min(0) int parityShards,
            @DefaultValue("1MB") DataSize stripeSize) {

        /**
         * What a write that streams its body into stripes holds at most: the stripe being read, and the shards of
         * two stripes (one being encoded, one on its way to the nodes).
         */
        public long stripedWriteWorkingSet() {
            long stripe = stripeSize.toBytes();
            return stripe + 2 * stripe * (dataShards + parityShards) / dataShards;
        }

        /** k + 1: one shard more than decoding needs, so one more loss can be survived before repair. */
        public int writeQuorum() {
            return Math.min(dataShards + 1, dataShards + parityShards);
        }
    }
}
