package io.hybridstore.gateway.read;

import io.etcd.jetcd.Client;
import io.hybridstore.common.etcd.EtcdKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells the healer about a read that had to read around bad blobs: an etcd key {@code <prefix>repair/<escaped key>}
 * whose value is the version read. The healer repairs such keys before its next scan and deletes the hint. The put
 * is fire-and-forget: the read has already succeeded, and a lost hint only means the scan finds the damage later.
 */
@Component
class RepairHints {

    private static final Logger log = LoggerFactory.getLogger(RepairHints.class);

    private final Client etcd;
    private final EtcdKeys keys;

    RepairHints(Client etcd, EtcdKeys keys) {
        this.etcd = etcd;
        this.keys = keys;
    }

    void report(String key, String version) {
        etcd.getKVClient().put(keys.repairHint(key), EtcdKeys.bytes(version))
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        log.debug("Could not report '{}' for repair; the healer's scan will find it: {}", key,
                                error.toString());
                    }
                });
    }
}
