package io.hybridstore.benchmark.measure;

import java.util.List;

/** One column of the per-operation request and fsync table: a counter key of {@link Snapshot} and its heading. */
record Hop(String key, String heading) {

    static final String NGINX_REQUESTS = "nginx.requests";
    static final String GATEWAY_REQUESTS = "gateway.requests";
    static final String ETCD_REQUESTS = "etcd.grpc.requests";
    static final String ETCD_PROPOSALS = "etcd.proposals";
    static final String ETCD_FSYNCS = "etcd.wal.fsyncs";
    static final String KAFKA_RECORDS = "kafka.records.sent";
    static final String KAFKA_FSYNCS = "kafka.fsyncs";
    static final String STORAGE_REQUESTS = "storage-node.requests";
    static final String STORAGE_FSYNCS = "storage-node.fsyncs";

    /** In the order a write travels. Kafka's broker exposes no metrics endpoint, so its fsyncs are never measured. */
    static final List<Hop> ALL = List.of(
            new Hop(NGINX_REQUESTS, "client→nginx requests"),
            new Hop(GATEWAY_REQUESTS, "nginx→gateway requests"),
            new Hop(ETCD_REQUESTS, "→etcd gRPC calls"),
            new Hop(ETCD_PROPOSALS, "etcd proposals"),
            new Hop(ETCD_FSYNCS, "etcd WAL fsyncs"),
            new Hop(KAFKA_RECORDS, "gateway→Kafka records"),
            new Hop(KAFKA_FSYNCS, "Kafka fsyncs"),
            new Hop(STORAGE_REQUESTS, "→storage-node requests"),
            new Hop(STORAGE_FSYNCS, "storage-node fsyncs"));
}
