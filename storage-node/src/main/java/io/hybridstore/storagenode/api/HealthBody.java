package io.hybridstore.storagenode.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code GET /health}, in the original system's shape. */
record HealthBody(String status, String service, @JsonProperty("node_id") String nodeId) {
}
