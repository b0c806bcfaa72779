package io.hybridstore.gateway.status;

import io.etcd.jetcd.Client;
import io.hybridstore.common.concurrent.FanOut;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.node.NodeDirectory;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.NodeUsage;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Answers the status calls. Dependency checks are cached briefly so a load balancer's probes cost almost nothing. */
@Component
class ClusterStatus implements DisposableBean {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CHECK_CACHE = Duration.ofSeconds(2);

    private final Client etcd;
    private final EtcdKeys keys;
    private final Admin kafkaAdmin;
    private final NodeDirectory nodes;
    private final StorageNodeClient client;
    private final Clock clock;
    private volatile Dependencies lastCheck = new Dependencies(false, false, Instant.MIN);

    ClusterStatus(Client etcd, EtcdKeys keys, KafkaAdmin kafkaAdmin, NodeDirectory nodes, StorageNodeClient client,
                  Clock clock) {
        this.etcd = etcd;
        this.keys = keys;
        this.kafkaAdmin = Admin.create(kafkaAdmin.getConfigurationProperties());
        this.nodes = nodes;
        this.client = client;
        this.clock = clock;
    }

    record Dependencies(boolean etcd, boolean log, Instant checkedAt) {
        boolean healthy() {
            return etcd && log;
        }
    }

    Dependencies dependencies() {
        Dependencies last = lastCheck;
        Instant now = clock.instant();
        if (now.isBefore(last.checkedAt().plus(CHECK_CACHE))) {
            return last;
        }
        Dependencies fresh = new Dependencies(
                succeeds(etcd.getKVClient().get(EtcdKeys.bytes(keys.prefix() + "health"))::get),
                succeeds(kafkaAdmin.describeCluster().nodes()::get), now);
        lastCheck = fresh;
        return fresh;
    }

    String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    /** Every storage node this gateway knows, by URL, with the answer of its health endpoint. */
    Map<String, String> nodeHealth() {
        List<NodeInfo> known = nodes.known();
        Map<String, String> health = new LinkedHashMap<>();
        askAll(known, node -> client.isHealthy(node) ? "healthy" : "unhealthy")
                .forEach((node, answer) -> health.put(node.url(), answer == null ? "unhealthy" : answer));
        return health;
    }

    Map<String, Object> storageUsage() {
        List<NodeInfo> known = nodes.known();
        Map<NodeInfo, NodeUsage> usage = askAll(known, client::info);
        long total = usage.values().stream().filter(u -> u != null).mapToLong(NodeUsage::totalBytes).sum();
        long withData = usage.values().stream().filter(u -> u != null && u.blobCount() > 0).count();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total_system_size", total);
        body.put("active_nodes_with_data", withData);
        body.put("total_nodes_queried", known.size());
        body.put("nodes_answering", usage.values().stream().filter(u -> u != null).count());
        return body;
    }

    /** Asks every node in parallel; a node that fails or does not answer maps to null. */
    private static <T> Map<NodeInfo, T> askAll(List<NodeInfo> targets, Function<NodeInfo, T> question) {
        List<T> answers = FanOut.map(targets, node -> {
            try {
                return question.apply(node);
            } catch (StorageNodeException | JacksonException e) {
                return null;
            }
        });
        Map<NodeInfo, T> byNode = new LinkedHashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            byNode.put(targets.get(i), answers.get(i));
        }
        return byNode;
    }

    private interface Check {
        Object get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException;
    }

    private static boolean succeeds(Check check) {
        try {
            check.get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    @Override
    public void destroy() {
        kafkaAdmin.close(Duration.ofSeconds(2));
    }
}
