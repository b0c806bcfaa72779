package io.hybridstore.healer.leadership;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.election.CampaignResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This healer's seat in the etcd leader election. One background thread runs terms: grant a lease, keep it alive,
 * campaign with the healer id as proposal, lead until the lease is lost, give the lease back, start over. A second
 * thread observes the election so every healer can tell who leads.
 *
 * <p>Leadership is tied to a locally computed lease deadline rather than to jetcd's keep-alive callbacks alone:
 * jetcd reports an expired lease only after its own deadline check, and a leader cut off from etcd must stop before
 * etcd hands the seat to someone else. The deadline is the time a keep-alive answer arrived plus the TTL it granted,
 * minus a safety margin, so this side always gives up first.
 */
public final class LeaderElection implements LeaderGate, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final Lease leases;
    private final Election election;
    private final ByteSequence electionName;
    private final String candidateId;
    private final Duration leaseTtl;
    private final Duration requestTimeout;
    private final Clock clock;

    private volatile boolean running;
    private volatile boolean leading;
    private volatile long currentLease;
    private volatile Instant leaseValidUntil = Instant.MIN;
    private volatile Instant leaderSince;
    private final LeaderObserver observer;
    private Thread campaigner;

    public LeaderElection(Client client, ByteSequence electionName, String candidateId, Duration leaseTtl,
                          Duration requestTimeout, Clock clock) {
        this.leases = client.getLeaseClient();
        this.election = client.getElectionClient();
        this.electionName = electionName;
        this.candidateId = candidateId;
        this.leaseTtl = leaseTtl;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.observer = new LeaderObserver(election, electionName, candidateId, MIN_BACKOFF);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        observer.start();
        campaigner = Thread.ofVirtual().name("healer-election-" + candidateId).start(this::campaignLoop);
    }

    @Override
    public boolean isLeader() {
        return leading && clock.instant().isBefore(leaseValidUntil);
    }

    /** The id of the healer currently leading, as far as this healer knows; empty during an election. */
    public Optional<String> leaderId() {
        if (isLeader()) {
            return Optional.of(candidateId);
        }
        return observer.leader().filter(id -> !id.equals(candidateId));
    }

    public LeadershipStatus status() {
        boolean leader = isLeader();
        return new LeadershipStatus(candidateId, leader ? "leader" : "follower", leaderId().orElse(null),
                leaseTtl.toSeconds(), leader ? leaderSince : null);
    }

    public String candidateId() {
        return candidateId;
    }

    /** Steps down at once and gives the lease back, so a standby healer takes over without waiting for the TTL. */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            thread = campaigner;
        }
        leading = false;
        observer.close();
        thread.interrupt();
        try {
            thread.join(requestTimeout.plus(requestTimeout).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void campaignLoop() {
        Duration backoff = MIN_BACKOFF;
        while (running) {
            try {
                serveOneTerm();
                backoff = MIN_BACKOFF;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("healer {}: election attempt failed, retrying in {} ms: {}", candidateId, backoff.toMillis(),
                        rootMessage(e));
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** One lease, one campaign, at most one period of leadership. Always gives the lease back on the way out. */
    private void serveOneTerm() throws InterruptedException, ExecutionException, TimeoutException {
        Instant asked = clock.instant();
        var grant = leases.grant(leaseTtl.toSeconds()).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        long leaseId = grant.getID();
        currentLease = leaseId;
        extendDeadline(leaseId, asked, grant.getTTL());
        var lost = new CompletableFuture<String>();
        try (CloseableClient keepAlive = leases.keepAlive(leaseId, keepAliveObserver(leaseId, lost))) {
            var campaign = election.campaign(electionName, leaseId, bytes(candidateId));
            if (!awaitElected(campaign, lost)) {
                return;
            }
            leaderSince = clock.instant();
            leading = true;
            log.info("healer {}: became leader (lease {}, ttl {}s)", candidateId, Long.toHexString(leaseId),
                    leaseTtl.toSeconds());
            String reason = awaitLeaseLoss(lost);
            leading = false;
            if (running) {
                log.warn("healer {}: lost leadership: {}; stopped acting, campaigning again", candidateId, reason);
            } else {
                log.info("healer {}: stepping down: shutting down", candidateId);
            }
        } finally {
            leading = false;
            giveBack(leaseId);
        }
    }

    private boolean awaitElected(CompletableFuture<CampaignResponse> campaign, CompletableFuture<String> lost)
            throws InterruptedException, ExecutionException {
        while (running) {
            if (lost.isDone() || !leaseAlive()) {
                log.warn("healer {}: lease lost while campaigning ({}); starting over", candidateId,
                        lost.getNow("keep-alive deadline passed"));
                campaign.cancel(true);
                return false;
            }
            try {
                campaign.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
                return leaseAlive();
            } catch (TimeoutException stillWaiting) {
                // a follower waits here until the leader's key disappears
            }
        }
        campaign.cancel(true);
        return false;
    }

    private String awaitLeaseLoss(CompletableFuture<String> lost) throws InterruptedException, ExecutionException {
        while (running) {
            if (!leaseAlive()) {
                return "no keep-alive answer before the lease deadline";
            }
            try {
                return lost.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillLeading) {
                // checked again on the next poll
            }
        }
        return "shutting down";
    }

    private StreamObserver<LeaseKeepAliveResponse> keepAliveObserver(long leaseId, CompletableFuture<String> lost) {
        return new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse response) {
                // There is no request timestamp in a keep-alive answer; the margin in extendDeadline covers that.
                extendDeadline(leaseId, clock.instant(), response.getTTL());
            }

            @Override
            public void onError(Throwable t) {
                lost.complete("keep-alive failed: " + rootMessage(t));
            }

            @Override
            public void onCompleted() {
                lost.complete("lease expired");
            }
        };
    }

    private void extendDeadline(long leaseId, Instant from, long ttlSeconds) {
        if (leaseId != currentLease || ttlSeconds <= 0) {
            return;
        }
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        Duration margin = ttl.dividedBy(5).compareTo(Duration.ofSeconds(1)) < 0 ? ttl.dividedBy(5) : Duration.ofSeconds(1);
        leaseValidUntil = from.plus(ttl).minus(margin);
    }

    private boolean leaseAlive() {
        return clock.instant().isBefore(leaseValidUntil);
    }

    /**
     * Revoking deletes our candidate key at once: a clean shutdown hands over immediately, and a campaign we gave up
     * on cannot win later with a stale lease. When etcd is unreachable this fails and the lease simply expires.
     */
    private void giveBack(long leaseId) {
        currentLease = 0;
        leaseValidUntil = Instant.MIN;
        try {
            leases.revoke(leaseId).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("healer {}: could not revoke lease {} ({}); it will expire", candidateId,
                    Long.toHexString(leaseId), rootMessage(e));
        }
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
