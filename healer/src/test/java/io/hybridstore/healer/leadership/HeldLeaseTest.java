package io.hybridstore.healer.leadership;

import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseRevokeResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import io.hybridstore.healer.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HeldLeaseTest {

    private static final Duration TTL = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeLease etcd = new FakeLease();

    @Test
    void leaseDiesLocallyBeforeEtcdWouldExpireIt() throws Exception {
        HeldLease lease = HeldLease.grant(etcd, TTL, Duration.ofSeconds(3), clock);

        clock.advance(Duration.ofMillis(4400));
        assertThat(lease.alive()).isTrue();
        clock.advance(Duration.ofMillis(200));
        assertThat(lease.alive()).isFalse();
        assertThat(lease.lost()).hasValueSatisfying(reason -> assertThat(reason).contains("deadline"));
    }

    @Test
    void renewalCountsFromWhenItWasSentNotWhenItWasAnswered() throws Exception {
        HeldLease lease = HeldLease.grant(etcd, TTL, Duration.ofSeconds(3), clock);
        clock.advance(Duration.ofSeconds(2));
        lease.renewIfDue();
        assertThat(etcd.renewals).hasSize(1);

        clock.advance(Duration.ofSeconds(2));
        etcd.renewals.getFirst().complete(keepAlive(5));

        // sent at t=2s: valid until 2 + 5 - 0.5 = 6.5s, although the answer arrived at t=4s
        clock.advance(Duration.ofMillis(2400));
        assertThat(lease.alive()).isTrue();
        clock.advance(Duration.ofMillis(200));
        assertThat(lease.alive()).isFalse();
    }

    @Test
    void failedRenewalsDoNotKillTheLeaseBeforeItsDeadline() throws Exception {
        HeldLease lease = HeldLease.grant(etcd, TTL, Duration.ofSeconds(3), clock);
        clock.advance(Duration.ofSeconds(2));
        lease.renewIfDue();
        etcd.renewals.getFirst().completeExceptionally(new IllegalStateException("etcd unreachable"));

        assertThat(lease.alive()).isTrue();
        clock.advance(Duration.ofMillis(600));
        lease.renewIfDue();
        assertThat(etcd.renewals).as("retried sooner than a normal renewal").hasSize(2);
    }

    @Test
    void etcdForgettingTheLeaseEndsItAtOnce() throws Exception {
        HeldLease lease = HeldLease.grant(etcd, TTL, Duration.ofSeconds(3), clock);
        clock.advance(Duration.ofSeconds(2));
        lease.renewIfDue();
        etcd.renewals.getFirst().complete(keepAlive(0));

        assertThat(lease.alive()).isFalse();
        assertThat(lease.lost()).hasValueSatisfying(reason -> assertThat(reason).contains("no longer knows"));
    }

    private static LeaseKeepAliveResponse keepAlive(long ttl) {
        return new LeaseKeepAliveResponse(
                io.etcd.jetcd.api.LeaseKeepAliveResponse.newBuilder().setID(1).setTTL(ttl).build());
    }

    private static final class FakeLease implements Lease {
        final List<CompletableFuture<LeaseKeepAliveResponse>> renewals = new ArrayList<>();

        @Override
        public CompletableFuture<LeaseGrantResponse> grant(long ttl) {
            return CompletableFuture.completedFuture(new LeaseGrantResponse(
                    io.etcd.jetcd.api.LeaseGrantResponse.newBuilder().setID(1).setTTL(ttl).build()));
        }

        @Override
        public CompletableFuture<LeaseGrantResponse> grant(long ttl, long timeout, TimeUnit unit) {
            return grant(ttl);
        }

        @Override
        public CompletableFuture<LeaseRevokeResponse> revoke(long leaseId) {
            return CompletableFuture.completedFuture(
                    new LeaseRevokeResponse(io.etcd.jetcd.api.LeaseRevokeResponse.getDefaultInstance()));
        }

        @Override
        public CompletableFuture<LeaseKeepAliveResponse> keepAliveOnce(long leaseId) {
            var renewal = new CompletableFuture<LeaseKeepAliveResponse>();
            renewals.add(renewal);
            return renewal;
        }

        @Override
        public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(long leaseId, LeaseOption option) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CloseableClient keepAlive(long leaseId, StreamObserver<LeaseKeepAliveResponse> observer) {
            throw new UnsupportedOperationException();
        }
    }
}
