package io.hybridstore.healer.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.hybridstore.healer.HealerProperties;
import io.hybridstore.healer.leadership.LeaderElection;
import io.hybridstore.healer.leadership.LeadershipStatus;
import io.hybridstore.healer.pass.PassScheduler;
import io.hybridstore.healer.scrub.ScrubScheduler;
import io.hybridstore.healer.status.HealerStats;
import io.hybridstore.healer.status.StatsView;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

@RestController
class StatusController {

    private final LeaderElection election;
    private final HealerProperties properties;
    private final HealerStats stats;
    private final PassScheduler passes;
    private final ScrubScheduler scrubs;

    StatusController(LeaderElection election, HealerProperties properties, HealerStats stats, PassScheduler passes,
                     ScrubScheduler scrubs) {
        this.election = election;
        this.properties = properties;
        this.stats = stats;
        this.passes = passes;
        this.scrubs = scrubs;
    }

    @GetMapping("/status")
    Status status() {
        return new Status(election.status(), stats.view());
    }

    /**
     * Runs a full pass (hints, repair scan, garbage collection) on the leader and answers when one that started after
     * this request has finished; 409 on a follower, naming the leader; 504 when it takes longer than {@code wait}.
     */
    @PostMapping("/scan")
    StatsView scan(@RequestParam(defaultValue = "PT2M") Duration wait) throws InterruptedException {
        return onLeader(passes::requestPass, wait, "full pass");
    }

    /**
     * Runs a scrub cycle (every blob read and verified on its node, damage repaired) on the leader and answers when
     * one that started after this request has finished; 409 on a follower, 504 when it takes longer than {@code wait}.
     */
    @PostMapping("/scrub")
    StatsView scrub(@RequestParam(defaultValue = "PT10M") Duration wait) throws InterruptedException {
        return onLeader(scrubs::requestScrub, wait, "scrub cycle");
    }

    private StatsView onLeader(Supplier<CompletableFuture<StatsView>> request, Duration wait, String what)
            throws InterruptedException {
        if (!election.isLeader()) {
            throw new NotLeaderException(election.leaderId().orElse("unknown"));
        }
        try {
            return request.get().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new WaitExpiredException("no " + what + " finished within " + wait);
        } catch (ExecutionException e) {
            throw new HealerTaskFailedException(what, e.getCause());
        }
    }

    /** Liveness only: a healer that cannot reach etcd is still healthy, it just does not lead. */
    @GetMapping("/health")
    Health health() {
        return new Health("healthy", "healer", properties.id());
    }

    record Status(@JsonUnwrapped LeadershipStatus leadership, @JsonUnwrapped StatsView stats) {
    }

    record Health(String status, String service, @JsonProperty("healer_id") String healerId) {
    }
}
