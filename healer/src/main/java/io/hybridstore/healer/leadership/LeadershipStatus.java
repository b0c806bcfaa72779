package io.hybridstore.healer.leadership;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** What {@code GET /status} reports about the election, as seen from one healer. */
public record LeadershipStatus(
        @JsonProperty("healer_id") String healerId,
        @JsonProperty("role") String role,
        @JsonProperty("leader") String leader,
        @JsonProperty("lease_ttl_seconds") long leaseTtlSeconds,
        @JsonProperty("leader_since") Instant leaderSince) {
}
