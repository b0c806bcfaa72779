package io.hybridstore.healer.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hybridstore.healer.HealerProperties;
import io.hybridstore.healer.leadership.LeaderElection;
import io.hybridstore.healer.leadership.LeadershipStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class StatusController {

    private final LeaderElection election;
    private final HealerProperties properties;

    StatusController(LeaderElection election, HealerProperties properties) {
        this.election = election;
        this.properties = properties;
    }

    @GetMapping("/status")
    LeadershipStatus status() {
        return election.status();
    }

    /** Liveness only: a healer that cannot reach etcd is still healthy, it just does not lead. */
    @GetMapping("/health")
    Health health() {
        return new Health("healthy", "healer", properties.id());
    }

    record Health(String status, String service, @JsonProperty("healer_id") String healerId) {
    }
}
