package io.hybridstore.common.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The figures a storage node reports on {@code GET /info}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeUsage(
        @JsonProperty("node_id") String nodeId,
        @JsonProperty("blob_count") long blobCount,
        @JsonProperty("total_bytes") long totalBytes,
        @JsonProperty("queue_depth") int queueDepth,
        @JsonProperty("queue_capacity") int queueCapacity,
        @JsonProperty("fsyncs") long fsyncs,
        @JsonProperty("bytes_written") long bytesWritten,
        @JsonProperty("corrupt_reads") long corruptReads,
        @JsonProperty("durability") String durability) {
}
