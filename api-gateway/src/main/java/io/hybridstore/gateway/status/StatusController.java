package io.hybridstore.gateway.status;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/** Health of the gateway and a view of the storage nodes, as the original system's clients expect it. */
@RestController
class StatusController {

    private final ClusterStatus status;

    StatusController(ClusterStatus status) {
        this.status = status;
    }

    @GetMapping("/health")
    ResponseEntity<Map<String, Object>> health() {
        ClusterStatus.Dependencies dependencies = status.dependencies();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", dependencies.healthy() ? "healthy" : "unhealthy");
        body.put("service", "api_gateway");
        body.put("hostname", status.hostname());
        body.put("etcd", dependencies.etcd() ? "up" : "down");
        body.put("log", dependencies.log() ? "up" : "down");
        return ResponseEntity.status(dependencies.healthy() ? 200 : 503).body(body);
    }

    @GetMapping("/node_status")
    Map<String, String> nodeStatus() {
        return status.nodeHealth();
    }

    @GetMapping("/storage_usage")
    Map<String, Object> storageUsage() {
        return status.storageUsage();
    }
}
