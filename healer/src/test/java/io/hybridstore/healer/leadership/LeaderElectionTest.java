package io.hybridstore.healer.leadership;

import io.etcd.jetcd.Client;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.healer.testing.EtcdProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class LeaderElectionTest {

    private static final Duration TTL = Duration.ofSeconds(2);
    private static final Duration HANDOVER_SLACK = Duration.ofSeconds(2);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private EtcdProcess etcd;

    @BeforeEach
    void startEtcd() {
        etcd = EtcdProcess.startNew();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        etcd.close();
    }

    @Test
    void exactlyOneOfTwoHealersLeads() {
        var a = healer("healer-1");
        var b = healer("healer-2");

        awaitTrue(() -> a.election().isLeader() || b.election().isLeader(), Duration.ofSeconds(10));
        assertThat(a.election().isLeader() && b.election().isLeader()).isFalse();

        String leader = a.election().isLeader() ? "healer-1" : "healer-2";
        awaitTrue(() -> leader.equals(a.election().status().leader()) && leader.equals(b.election().status().leader()),
                Duration.ofSeconds(5));
        assertThat(List.of(a.election().status().role(), b.election().status().role()))
                .containsExactlyInAnyOrder("leader", "follower");
    }

    @Test
    void crashedLeaderIsReplacedWithinOneTtl() {
        var a = healer("healer-1");
        var b = healer("healer-2");
        awaitTrue(() -> a.election().isLeader() || b.election().isLeader(), Duration.ofSeconds(10));
        Healer leader = a.election().isLeader() ? a : b;
        Healer follower = leader == a ? b : a;

        // Closing the client without resigning is what a killed process looks like to etcd: the lease must expire.
        leader.client().close();
        Instant lost = Instant.now();

        awaitTrue(() -> follower.election().isLeader(), TTL.plus(HANDOVER_SLACK));
        assertThat(Duration.between(lost, Instant.now())).isLessThanOrEqualTo(TTL.plus(HANDOVER_SLACK));
        assertThat(leader.election().isLeader()).isFalse();
    }

    @Test
    void cleanShutdownHandsOverImmediately() {
        var a = healer("healer-1");
        var b = healer("healer-2");
        awaitTrue(() -> a.election().isLeader() || b.election().isLeader(), Duration.ofSeconds(10));
        Healer leader = a.election().isLeader() ? a : b;
        Healer follower = leader == a ? b : a;

        leader.election().close();

        assertThat(leader.election().isLeader()).isFalse();
        awaitTrue(() -> follower.election().isLeader(), Duration.ofSeconds(1));
    }

    @Test
    void leaderStopsActingWithoutEtcdAndLeadershipReturnsWithIt() {
        var a = healer("healer-1");
        var b = healer("healer-2");
        awaitTrue(() -> a.election().isLeader() || b.election().isLeader(), Duration.ofSeconds(10));

        etcd.stop();
        awaitTrue(() -> !a.election().isLeader() && !b.election().isLeader(), TTL);

        etcd.start();
        awaitTrue(() -> a.election().isLeader() || b.election().isLeader(), TTL.multipliedBy(3).plus(HANDOVER_SLACK));
        assertThat(a.election().isLeader() && b.election().isLeader()).isFalse();
    }

    private Healer healer(String id) {
        var client = Client.builder().endpoints(etcd.endpoint()).build();
        var election = new LeaderElection(client, new EtcdKeys(EtcdKeys.DEFAULT_PREFIX).healerElection(), id, TTL,
                Duration.ofSeconds(1), Clock.systemUTC());
        toClose.add(client);
        toClose.add(election);
        election.start();
        return new Healer(client, election);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition not met within %s", timeout).isBefore(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private record Healer(Client client, LeaderElection election) {
    }
}
