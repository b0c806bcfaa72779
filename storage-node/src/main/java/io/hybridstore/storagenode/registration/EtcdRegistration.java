package io.hybridstore.storagenode.registration;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.hybridstore.common.node.NodeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps {@code nodes/<id>} in etcd, attached to a lease this node renews every third of its TTL.
 *
 * <p>The node counts as registered only until the last successful renewal's start plus the TTL: past that etcd may
 * already have expired the lease, the gateway no longer sees the node, and writes sent to it anyway would become
 * orphans, so it refuses them. Renewal uses single keep-alive calls rather than jetcd's keep-alive stream so that
 * the deadline is computed here, from acknowledged renewals only. When the lease is lost the node registers afresh
 * (new lease, key put again) as soon as etcd answers, and revokes the old lease.
 */
public final class EtcdRegistration implements RegistrationStatus, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EtcdRegistration.class);

    private final Client client;
    private final ByteSequence key;
    private final Duration ttl;
    private final Duration period;
    private final Clock clock;
    private volatile ByteSequence value;
    private volatile long leaseId;
    private volatile Instant validUntil = Instant.MIN;
    private volatile String lastFailure = "not registered yet";
    private volatile boolean running = true;
    private long staleLease;
    private Thread loop;

    public EtcdRegistration(Client client, ByteSequence key, Duration ttl, Clock clock) {
        this.client = client;
        this.key = key;
        this.ttl = ttl;
        this.period = ttl.dividedBy(3);
        this.clock = clock;
    }

    /** Starts registering {@code node}; called once the web server is up, so the advertised port is the real one. */
    public synchronized void start(NodeInfo node, byte[] json) {
        this.value = ByteSequence.from(json);
        log.info("Registering {} at {} in etcd under {} with a {} lease", node.id(), node.url(), key, ttl);
        loop = Thread.ofVirtual().name("etcd-registration").start(this::run);
    }

    @Override
    public boolean registered() {
        return leaseId != 0 && clock.instant().isBefore(validUntil);
    }

    @Override
    public String describe() {
        long lease = leaseId;
        if (registered()) {
            return "registered under lease " + Long.toHexString(lease);
        }
        // A renewal may still be on its way; until it is acknowledged, etcd may already have expired the lease.
        return lease != 0 ? "etcd registration not renewed within its TTL (lease " + Long.toHexString(lease)
                + " acknowledged until " + validUntil + ")" : "not registered in etcd: " + lastFailure;
    }

    private void run() {
        while (running) {
            tick();
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void tick() {
        Instant attempt = clock.instant();
        try {
            if (leaseId == 0) {
                register(attempt);
            } else {
                renew(attempt);
            }
        } catch (ExecutionException | TimeoutException e) {
            lastFailure = e.getCause() == null ? e.toString() : e.getCause().toString();
            if (leaseId != 0 && !clock.instant().isBefore(validUntil)) {
                lost("could not renew it within its TTL: " + lastFailure);
            } else if (leaseId != 0) {
                log.warn("Lease renewal failed ({}); still registered until {}", lastFailure, validUntil);
            } else {
                log.debug("Registration attempt failed: {}", lastFailure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void register(Instant attempt) throws ExecutionException, TimeoutException, InterruptedException {
        long lease = await(client.getLeaseClient().grant(ttl.toSeconds())).getID();
        await(client.getKVClient().put(key, value, PutOption.builder().withLeaseId(lease).build()));
        validUntil = attempt.plus(ttl);
        leaseId = lease;
        log.info("Registered in etcd under {} (lease {}); accepting writes", key, Long.toHexString(lease));
        if (staleLease != 0) {
            client.getLeaseClient().revoke(staleLease);
            staleLease = 0;
        }
    }

    private void renew(Instant attempt) throws ExecutionException, TimeoutException, InterruptedException {
        LeaseKeepAliveResponse response = await(client.getLeaseClient().keepAliveOnce(leaseId));
        if (response.getTTL() <= 0) {
            lost("etcd says the lease has expired");
        } else {
            validUntil = attempt.plusSeconds(response.getTTL());
        }
    }

    private void lost(String why) {
        log.warn("Lost etcd registration under {} ({}); refusing writes until re-registered", key, why);
        lastFailure = why;
        staleLease = leaseId;
        leaseId = 0;
    }

    private <T> T await(CompletableFuture<T> future) throws ExecutionException, TimeoutException, InterruptedException {
        try {
            return future.get(period.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            future.cancel(false);
        }
    }

    /** Revokes the lease so the node disappears from etcd at once rather than after the TTL. */
    @Override
    public synchronized void close() {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
        long lease = leaseId;
        leaseId = 0;
        if (lease != 0) {
            try {
                client.getLeaseClient().revoke(lease).get(1, TimeUnit.SECONDS);
                log.info("Revoked lease {}; deregistered from etcd", Long.toHexString(lease));
            } catch (ExecutionException | TimeoutException e) {
                log.warn("Could not revoke lease {} on shutdown; etcd expires it after {}", Long.toHexString(lease), ttl);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
    }
}
