package io.hybridstore.benchmark.measure;

import java.util.Map;
import java.util.TreeMap;

/** The counters of one service's Prometheus text that a {@link Snapshot} keeps, under {@link Hop}'s keys. */
final class Prometheus {

    private Prometheus() {
    }

    static Map<String, Double> countersOf(String kind, String text) {
        Map<String, Double> counters = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            int brace = line.indexOf('{');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : line.indexOf(' '));
            String key = keyOf(kind, name, line);
            if (key != null) {
                counters.merge(key, Double.parseDouble(line.substring(space + 1)), Double::sum);
            }
        }
        return counters;
    }

    /**
     * The benchmark's own scrapes of /actuator are not requests of the workload. A storage node serves blobs over
     * its blob protocol as well as HTTP, and counts those separately.
     */
    private static String keyOf(String kind, String name, String line) {
        boolean served = name.equals("http_server_requests_seconds_count") && !line.contains("uri=\"/actuator");
        return switch (kind) {
            case "gateway" -> served ? Hop.GATEWAY_REQUESTS
                    : name.equals("kafka_producer_record_send_total") ? Hop.KAFKA_RECORDS : null;
            case "storage-node" -> served || name.equals("hybridstore_wire_requests_seconds_count") ? Hop.STORAGE_REQUESTS
                    : name.equals("hybridstore_storage_fsync_seconds_count") ? Hop.STORAGE_FSYNCS : null;
            case "etcd" -> switch (name) {
                case "grpc_server_handled_total" -> Hop.ETCD_REQUESTS;
                case "etcd_disk_wal_fsync_duration_seconds_count" -> Hop.ETCD_FSYNCS;
                case "etcd_server_proposals_committed_total" -> Hop.ETCD_PROPOSALS;
                default -> null;
            };
            default -> null;
        };
    }
}
