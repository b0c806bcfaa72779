package io.hybridstore.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Whether an instance answers as it should once started. */
final class Health {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String START_MARKER = "=== ";
    private static final String KAFKA_STARTED = "Kafka Server started";

    private final Topology topology;
    private final RunDir runDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1).build();

    Health(Topology topology, RunDir runDir) {
        this.topology = topology;
        this.runDir = runDir;
    }

    boolean healthy(Instance instance) {
        int port = topology.port(instance);
        return switch (instance.service().name()) {
            // etcd answers 503 on /health until its members have a quorum and a leader.
            case Topology.ETCD -> {
                String body = get(port);
                yield body != null && body.contains("\"health\":\"true\"");
            }
            // The port opens before the broker serves requests; its own "started" line, after the last start
            // marker, is the earliest moment clients get answers.
            case Topology.KAFKA -> portInUse(port) && kafkaStarted(runDir.logFile(instance.name()));
            default -> get(port) != null;
        };
    }

    /** The body of a 2xx answer to GET /health, or null for another answer or none. */
    private String get(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(TIMEOUT).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() / 100 == 2 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean kafkaStarted(Path log) {
        boolean started = false;
        try {
            for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith(START_MARKER)) {
                    started = false;
                } else if (line.contains(KAFKA_STARTED)) {
                    started = true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return started;
    }

    static boolean portInUse(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The kernel's ephemeral port range, where a listening port can be taken at any moment by an outgoing one. */
    static int[] ephemeralRange() {
        try {
            List<String> range = List.of(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim()
                    .split("\\s+"));
            return new int[] {Integer.parseInt(range.get(0)), Integer.parseInt(range.get(1))};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
