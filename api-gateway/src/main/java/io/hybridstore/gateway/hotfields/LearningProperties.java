package io.hybridstore.gateway.hotfields;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How gateways learn which fields of a collection are hot, prefix {@code hybridstore.gateway.learning}; documented
 * in the README.
 *
 * @param enabled            off: only the configured {@code hot-fields} are hot
 * @param separator          a native key's collection is its prefix up to the last separator ({@code user:42} is in
 *                           {@code user}); a key holding '/' is in the collection of its first segment (an S3
 *                           bucket), a key holding neither in {@code _}
 * @param window             overwrites of a collection between two decisions; until the first, a collection uses
 *                           the configured list alone
 * @param promoteRatio       a field becomes hot when it changed in at least this share of a window's overwrites
 * @param maxHotFieldBytes   ... and its values were on average at most this long
 * @param demoteAfterWindows a learned field goes back to cold after this many windows in a row without a change
 * @param maxFields          objects of more top-level fields keep no field prints and teach nothing; also the most
 *                           fields tracked per collection
 * @param maxCollections     the most collections a gateway tracks at once
 * @param publishInterval    how often a gateway adds its counts to etcd and decides for collections whose window
 *                           is full
 * @param refreshInterval    how long a gateway uses a collection's hot set before it reads it again
 */
@Validated
@ConfigurationProperties("hybridstore.gateway.learning")
public record LearningProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue(":") @NotEmpty String separator,
        @DefaultValue("100") @Min(1) int window,
        @DefaultValue("0.5") @DecimalMin("0.0") @DecimalMax("1.0") double promoteRatio,
        @DefaultValue("1KB") DataSize maxHotFieldBytes,
        @DefaultValue("5") @Min(1) int demoteAfterWindows,
        @DefaultValue("256") @Min(1) int maxFields,
        @DefaultValue("1000") @Min(1) int maxCollections,
        @DefaultValue("1s") Duration publishInterval,
        @DefaultValue("1s") Duration refreshInterval) {

    /** The collection a key belongs to. */
    public String collectionOf(String key) {
        int slash = key.indexOf('/');
        if (slash > 0) {
            return key.substring(0, slash);
        }
        int separatorAt = key.lastIndexOf(separator);
        return separatorAt > 0 ? key.substring(0, separatorAt) : "_";
    }
}
