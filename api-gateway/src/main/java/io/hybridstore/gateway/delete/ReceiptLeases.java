package io.hybridstore.gateway.delete;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Lease;
import io.hybridstore.common.etcd.EtcdCalls;
import io.hybridstore.common.etcd.EtcdProperties;
import io.hybridstore.gateway.GatewayProperties;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The etcd leases delete receipts are put under, so etcd itself expires them and nothing has to collect them.
 * One lease is shared by every receipt of a tenth of the retention (a lease per delete would cost etcd a lease
 * object and a round trip each): its TTL is the retention plus that tenth, so every receipt lives at least the
 * retention.
 */
@Component
class ReceiptLeases {

    private final Lease leases;
    private final Duration retention;
    private final Duration requestTimeout;
    private final Clock clock;
    private Granted current;

    ReceiptLeases(Client etcd, EtcdProperties etcdProperties, GatewayProperties properties, Clock clock) {
        this.leases = etcd.getLeaseClient();
        this.retention = properties.deleteReceiptRetention();
        this.requestTimeout = etcdProperties.requestTimeout();
        this.clock = clock;
    }

    private record Granted(long id, Instant usableUntil) {
    }

    synchronized long current() {
        Instant now = clock.instant();
        if (current == null || !now.isBefore(current.usableUntil())) {
            Duration share = retention.dividedBy(10);
            current = new Granted(grant(retention.plus(share).toSeconds() + 1), now.plus(share));
        }
        return current.id();
    }

    private long grant(long ttlSeconds) {
        return EtcdCalls.await(leases.grant(ttlSeconds), requestTimeout, "granting a receipt lease").getID();
    }
}
