package io.hybridstore.healer.status;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The counters part of {@code GET /status}. */
public record StatsView(
        @JsonProperty("passes_completed") long passesCompleted,
        @JsonProperty("last_pass") HealerStats.PassRecord lastPass,
        @JsonProperty("current_pass") HealerStats.PassRecord currentPass,
        @JsonProperty("objects_scanned") long objectsScanned,
        @JsonProperty("degraded_found") long degradedFound,
        @JsonProperty("objects_repaired") long objectsRepaired,
        @JsonProperty("blobs_repaired") long blobsRepaired,
        @JsonProperty("repair_conflicts") long repairConflicts,
        @JsonProperty("repair_bytes_read") long repairBytesRead,
        @JsonProperty("check_requests") long checkRequests,
        @JsonProperty("hints_processed") long hintsProcessed,
        @JsonProperty("intents_rolled_back") long intentsRolledBack,
        @JsonProperty("intents_settled") long intentsSettled,
        @JsonProperty("blobs_collected") long blobsCollected,
        @JsonProperty("bytes_collected") long bytesCollected,
        @JsonProperty("scrubs_completed") long scrubsCompleted,
        @JsonProperty("last_scrub") HealerStats.ScrubRecord lastScrub,
        @JsonProperty("current_scrub") HealerStats.ScrubRecord currentScrub,
        @JsonProperty("objects_verified") long objectsVerified,
        @JsonProperty("bytes_verified") long bytesVerified,
        @JsonProperty("log_records_skipped") long logRecordsSkipped,
        @JsonProperty("manifests_unreadable") long manifestsUnreadable,
        @JsonProperty("loop_errors") long loopErrors,
        @JsonProperty("gc_candidates") long gcCandidates) {
}
