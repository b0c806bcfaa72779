package io.hybridstore.healer;

import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.healer.testing.EtcdProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hybridstore.healer.id=healer-7", "hybridstore.healer.lease-ttl=2s"})
class HealerApplicationTest {

    private static final EtcdProcess etcd = EtcdProcess.startNew();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void etcdEndpoint(DynamicPropertyRegistry registry) {
        registry.add("hybridstore.etcd.endpoints", etcd::endpoint);
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @Test
    void soleHealerBecomesLeaderAndReportsIt() throws Exception {
        assertThat(get("/health")).contains("\"status\":\"healthy\"", "\"service\":\"healer\"",
                "\"healer_id\":\"healer-7\"");

        Instant deadline = Instant.now().plusSeconds(10);
        String status = get("/status");
        while (!status.contains("\"role\":\"leader\"") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            status = get("/status");
        }
        assertThat(status).contains("\"healer_id\":\"healer-7\"", "\"role\":\"leader\"", "\"leader\":\"healer-7\"",
                "\"lease_ttl_seconds\":2");
        assertThat(get("/actuator/prometheus")).contains("hybridstore_healer_leader{healer_id=\"healer-7\"} 1");
    }

    @Test
    void errorsAreTheSharedJsonBody() throws Exception {
        assertError(send("GET", "/no-such-route", null, null), 404, "not_found");
        assertError(send("POST", "/scan?wait=soon", null, null), 400, "bad_request");
        assertError(send("GET", "/scan", null, null), 405, "method_not_allowed");
    }

    @Test
    void anUnsignedScanOrStatusIsRefusedAndHealthStaysOpen() throws Exception {
        for (String[] call : new String[][]{{"POST", "/scan"}, {"POST", "/scrub"}, {"GET", "/status"}}) {
            var unsigned = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + call[1]))
                    .method(call[0], HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertError(unsigned, 401, "unauthenticated");
        }
        assertThat(get("/actuator/prometheus")).contains(
                "hybridstore_internal_auth_refused_total{reason=\"missing\",transport=\"http\"} 3.0");
        var health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    /** Signed as the cluster's services sign: what is refused here is refused for what it asks. */
    private HttpResponse<String> send(String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        var request = TestAuth.signed(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes)), method, path, bytes);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).startsWith("{\"error\":\"" + error + "\",\"detail\":");
    }

    private String get(String path) throws IOException, InterruptedException {
        var request = TestAuth.signed(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)), "GET", path, new byte[0]).build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
