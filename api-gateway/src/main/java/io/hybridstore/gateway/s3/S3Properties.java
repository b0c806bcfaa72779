package io.hybridstore.gateway.s3;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the S3 API, prefix {@code hybridstore.s3}; every one is documented in the README.
 *
 * @param port            the gateway's listener for S3 requests (nginx fronts it on :9000); 0 turns the API off
 * @param accessKey       the root access key id; the API refuses every request while it or the secret is unset
 * @param secretKey       the root secret access key
 * @param region          what GetBucketLocation answers; signatures are accepted for any region a client signs for
 * @param domain          the host name virtual-host-style requests are addressed under ({@code bucket.DOMAIN})
 * @param defaultStrategy the strategy of a bucket created without {@code x-hybridstore-strategy}
 * @param maxKeys         the most keys one listing page returns, whatever a client asks for
 */
@Validated
@ConfigurationProperties("hybridstore.s3")
public record S3Properties(
        @DefaultValue("0") @Min(0) @Max(65535) int port,
        @DefaultValue("") String accessKey,
        @DefaultValue("") String secretKey,
        @DefaultValue("us-east-1") String region,
        @DefaultValue("localhost") String domain,
        @DefaultValue("ec") String defaultStrategy,
        @DefaultValue("1000") @Min(1) @Max(1000) int maxKeys) {

    public boolean enabled() {
        return port > 0;
    }
}
