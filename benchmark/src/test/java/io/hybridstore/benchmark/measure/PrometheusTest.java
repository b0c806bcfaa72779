package io.hybridstore.benchmark.measure;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTest {

    @Test
    void aGatewaysServedRequestsLeaveOutItsActuatorEndpointsAndItsProducersRecordsAreSummed() {
        String text = """
                # TYPE http_server_requests_seconds summary
                http_server_requests_seconds_count{error="none",method="POST",outcome="SUCCESS",status="200",uri="/write"} 120
                http_server_requests_seconds_sum{error="none",method="POST",outcome="SUCCESS",status="200",uri="/write"} 3.5
                http_server_requests_seconds_count{error="none",method="GET",outcome="SUCCESS",status="200",uri="/read/**"} 30
                http_server_requests_seconds_count{error="none",method="GET",outcome="SUCCESS",status="200",uri="/actuator/prometheus"} 9
                kafka_producer_record_send_total{client_id="producer-1",kafka_version="4.1.0",spring_id="kafkaProducerFactory.producer-1"} 118.0
                kafka_producer_record_send_total{client_id="producer-2",kafka_version="4.1.0",spring_id="kafkaProducerFactory.producer-2"} 2.0
                jvm_threads_live_threads 40
                """;

        assertThat(Prometheus.countersOf("gateway", text))
                .containsOnlyKeys(Hop.GATEWAY_REQUESTS, Hop.KAFKA_RECORDS)
                .containsEntry(Hop.GATEWAY_REQUESTS, 150.0)
                .containsEntry(Hop.KAFKA_RECORDS, 120.0);
    }

    @Test
    void aStorageNodesFsyncsAreItsTimersCount() {
        String text = """
                hybridstore_storage_fsync_seconds{quantile="0.5"} 4.0E-4
                hybridstore_storage_fsync_seconds_count 17
                hybridstore_storage_fsync_seconds_sum 0.02
                """;

        assertThat(Prometheus.countersOf("storage-node", text)).containsOnly(Map.entry(Hop.STORAGE_FSYNCS, 17.0));
    }
}
