package io.hybridstore.healer.rollback;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Rollback of stalled writes from the intent log ({@code hybridstore.healer.rollback.*}).
 *
 * @param topic         the log topic the gateways append intents to
 * @param groupId       consumer group of the healers; offsets are committed only after an intent was settled
 * @param zombieTimeout a PENDING intent still open this long after its timestamp is settled by the healer
 * @param pollTimeout   longest wait of one poll, which is also how fast the consumer notices lost leadership
 */
@Validated
@ConfigurationProperties("hybridstore.healer.rollback")
public record RollbackProperties(
        @DefaultValue("hybridstore-wal") @NotBlank String topic,
        @DefaultValue("hybridstore-healer") @NotBlank String groupId,
        @DefaultValue("30s") @NotNull Duration zombieTimeout,
        @DefaultValue("500ms") @NotNull Duration pollTimeout) {
}
