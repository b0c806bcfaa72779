package io.hybridstore.healer.leadership;

import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An etcd lease this process holds, renewed by its owner's poll loop, with a local deadline that always passes
 * before etcd's own expiry.
 *
 * <p>Why not jetcd's streaming {@code keepAlive}: its answers carry no send time, so a deadline derived from them
 * has to guess how stale they are, and jetcd notices an expired lease only on its own schedule. Here every renewal
 * is a {@code keepAliveOnce} whose send time is known; etcd restarts the TTL no earlier than it receives the request,
 * so {@code sent + TTL} is a safe lower bound of the real expiry. A small margin covers clock rate differences.
 */
final class HeldLease {

    private final Lease leases;
    private final long id;
    private final Duration ttl;
    private final Duration renewTimeout;
    private final Clock clock;

    private volatile Instant validUntil;
    private volatile Instant nextRenewal;
    private volatile String lossReason;
    private volatile CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);

    private HeldLease(Lease leases, long id, Duration ttl, Duration renewTimeout, Clock clock, Instant asked) {
        this.leases = leases;
        this.id = id;
        this.ttl = ttl;
        this.renewTimeout = renewTimeout;
        this.clock = clock;
        this.validUntil = deadlineFrom(asked, ttl);
        this.nextRenewal = asked.plus(ttl.dividedBy(3));
    }

    static HeldLease grant(Lease leases, Duration ttl, Duration requestTimeout, Clock clock)
            throws InterruptedException, ExecutionException, TimeoutException {
        Instant asked = clock.instant();
        var grant = leases.grant(ttl.toSeconds()).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        Duration granted = Duration.ofSeconds(grant.getTTL());
        // A renewal that takes longer than half the TTL is no use any more; don't let it block the next one.
        Duration renewTimeout = requestTimeout.compareTo(granted.dividedBy(2)) < 0 ? requestTimeout : granted.dividedBy(2);
        return new HeldLease(leases, grant.getID(), granted, renewTimeout, clock, asked);
    }

    long id() {
        return id;
    }

    /** Sends a renewal when one is due and none is outstanding; never blocks. */
    void renewIfDue() {
        Instant now = clock.instant();
        if (lossReason != null || !inFlight.isDone() || now.isBefore(nextRenewal)) {
            return;
        }
        nextRenewal = now.plus(ttl.dividedBy(3));
        inFlight = leases.keepAliveOnce(id)
                .orTimeout(renewTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((response, error) -> renewed(now, response, error));
    }

    private void renewed(Instant sent, LeaseKeepAliveResponse response, Throwable error) {
        if (error != null) {
            // Unreachable etcd is not yet a lost lease; retry soon, and let the deadline decide.
            nextRenewal = clock.instant().plus(ttl.dividedBy(10));
            return;
        }
        if (response.getTTL() <= 0) {
            lossReason = "etcd no longer knows the lease (expired or revoked)";
            return;
        }
        Instant candidate = deadlineFrom(sent, Duration.ofSeconds(response.getTTL()));
        if (candidate.isAfter(validUntil)) {
            validUntil = candidate;
        }
    }

    boolean alive() {
        return lossReason == null && clock.instant().isBefore(validUntil);
    }

    /** Why the lease is no longer good, or empty while it is. */
    Optional<String> lost() {
        if (lossReason != null) {
            return Optional.of(lossReason);
        }
        return alive() ? Optional.empty() : Optional.of("no renewal confirmed before the lease deadline");
    }

    /**
     * Deletes the lease and with it every key it carries (our candidate key): a clean shutdown hands over at once,
     * and an abandoned campaign cannot win later. When etcd is unreachable this fails and the lease just expires.
     */
    void revoke(Duration timeout) throws InterruptedException {
        lossReason = "revoked";
        try {
            leases.revoke(id).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException unreachable) {
            // expiry will do the same a TTL later
        }
    }

    private static Instant deadlineFrom(Instant start, Duration ttl) {
        Duration margin = ttl.dividedBy(10).compareTo(Duration.ofMillis(500)) < 0 ? ttl.dividedBy(10) : Duration.ofMillis(500);
        return start.plus(ttl).minus(margin);
    }
}
