package io.hybridstore.healer.leadership;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.election.CampaignResponse;
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
 * This healer's seat in the etcd leader election. One background thread runs terms: grant a lease, campaign with the
 * healer id as proposal, lead while the lease is confirmed, give the lease back, start over. A second thread observes
 * the election so every healer can tell who leads.
 *
 * <p>Leadership is only as good as the lease's local deadline ({@link HeldLease}): a leader cut off from etcd stops
 * acting when its last confirmed renewal runs out, which is always before etcd lets another healer win.
 */
public final class LeaderElection implements LeaderGate, Abdication, AutoCloseable {

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
    /** The lease of the current leadership term; null while not leading. */
    private volatile HeldLease term;
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
        HeldLease current = term;
        return current != null && current.alive();
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

    /** Steps down and campaigns no more: another healer is elected as soon as the lease is given back. */
    @Override
    public void abdicate(String reason) {
        log.error("healer {}: giving up leadership for good: {}", candidateId, reason);
        close();
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
        term = null;
        observer.close();
        // No interrupt: the loop notices `running` within one poll and must still be able to revoke the lease.
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
        HeldLease lease = HeldLease.grant(leases, leaseTtl, requestTimeout, clock);
        try {
            var campaign = election.campaign(electionName, lease.id(), bytes(candidateId));
            if (!awaitElected(campaign, lease)) {
                return;
            }
            leaderSince = clock.instant();
            term = lease;
            log.info("healer {}: became leader (lease {}, ttl {}s)", candidateId, Long.toHexString(lease.id()),
                    leaseTtl.toSeconds());
            String reason = holdUntilLost(lease);
            term = null;
            if (running) {
                log.warn("healer {}: lost leadership: {}; stopped acting, campaigning again", candidateId, reason);
            } else {
                log.info("healer {}: stepping down: shutting down", candidateId);
            }
        } finally {
            term = null;
            lease.revoke(requestTimeout);
        }
    }

    /** A follower waits here until every earlier candidate's key is gone, renewing its own lease meanwhile. */
    private boolean awaitElected(CompletableFuture<CampaignResponse> campaign, HeldLease lease)
            throws InterruptedException, ExecutionException {
        while (running) {
            lease.renewIfDue();
            if (!lease.alive()) {
                log.warn("healer {}: lease lost while campaigning ({}); starting over", candidateId,
                        lease.lost().orElse("?"));
                campaign.cancel(true);
                return false;
            }
            try {
                campaign.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
                return lease.alive();
            } catch (TimeoutException stillWaiting) {
                // next poll
            }
        }
        campaign.cancel(true);
        return false;
    }

    private String holdUntilLost(HeldLease lease) throws InterruptedException {
        while (running) {
            lease.renewIfDue();
            Optional<String> lost = lease.lost();
            if (lost.isPresent()) {
                return lost.get();
            }
            Thread.sleep(POLL);
        }
        return "shutting down";
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
