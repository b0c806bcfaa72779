package io.hybridstore.healer.leadership;

import io.etcd.jetcd.Client;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.etcd.EtcdProperties;
import io.hybridstore.healer.HealerProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
class LeadershipConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    LeaderElection leaderElection(Client etcd, EtcdKeys keys, HealerProperties healer, EtcdProperties etcdProperties,
                                  Clock clock) {
        return new LeaderElection(etcd, keys.healerElection(), healer.id(), healer.leaseTtl(),
                etcdProperties.requestTimeout(), clock);
    }

    @Bean
    MeterBinder leaderGauge(LeaderElection election) {
        return registry -> Gauge.builder("hybridstore.healer.leader", election, e -> e.isLeader() ? 1 : 0)
                .description("1 while this healer is the elected leader, else 0")
                .tag("healer_id", election.candidateId())
                .register(registry);
    }
}
