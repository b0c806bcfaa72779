package io.hybridstore.cluster;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthTest {

    private final Topology topology = Topology.load(Map.of("HS_PORT_OFFSET", "27500"));
    private final Instance node = topology.instance(Topology.STORAGE_NODE, 1);
    private final Health health = new Health(topology, new RunDir(Path.of("/tmp/unused")));
    private HttpServer server;

    private void answer(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", topology.port(node)), 0);
        server.createContext("/health", exchange -> {
            byte[] bytes = body.getBytes();
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aServiceThatAnswersItsHealthWithAnErrorIsNotHealthy() throws IOException {
        answer(503, "{\"status\":\"DOWN\"}");
        assertThat(health.healthy(node)).isFalse();
    }

    @Test
    void aServiceThatAnswers200IsHealthyAndOneThatDoesNotAnswerIsNot() throws IOException {
        assertThat(health.healthy(node)).isFalse();
        answer(200, "{\"status\":\"UP\"}");
        assertThat(health.healthy(node)).isTrue();
    }
}
