package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway bounds the bytes it holds for reads and writes together: no mix of large or slow requests may exhaust
 * its heap (512 MiB in the test cluster). What does not fit waits briefly, then gets 503 {@code overloaded}.
 */
class GatewayMemoryTest {

    private static final int LARGE = 8 * 1024 * 1024;
    /**
     * Requests sent at once, a third of each kind: 30 per gateway of 8 MiB, each held twice or more on its heap, is
     * well past a 512 MiB gateway without the memory budget (the old code died of OutOfMemoryError), while two cores
     * still move it all within the client's timeout.
     */
    private static final int STORM = 90;

    private final LocalCluster cluster = LocalCluster.get();
    private final Api api = new Api(cluster.gatewayUrl(), Duration.ofMinutes(3));

    @Test
    void manyConcurrentLargeReadsAndWritesThroughNginxLeaveEveryGatewayUp() throws Exception {
        String replicated = Values.large(LARGE, 1);
        String coded = Values.large(LARGE, 2);
        assertThat(api.write("e2e/memory/replicated", "replication", replicated).status()).isEqualTo(200);
        assertThat(api.write("e2e/memory/ec", "ec", coded).status()).isEqualTo(200);

        List<Future<Api.Response>> answers = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < STORM; i++) {
                int n = i;
                switch (i % 3) {
                    case 0 -> {
                        answers.add(clients.submit(() -> connecting(() -> api.read("e2e/memory/replicated"))));
                        expected.add(replicated);
                    }
                    case 1 -> {
                        answers.add(clients.submit(() -> connecting(() -> api.read("e2e/memory/ec"))));
                        expected.add(coded);
                    }
                    default -> {
                        // A key per writer: concurrent writes of one key could run out of commit retries (409).
                        answers.add(clients.submit(() -> connecting(() -> api.write("e2e/memory/w" + n,
                                n % 4 == 0 ? "ec" : "replication", replicated))));
                        expected.add(null);
                    }
                }
            }
        }

        int[] served = new int[3];
        for (int i = 0; i < answers.size(); i++) {
            Api.Response answer = answers.get(i).get();
            if (answer.status() == 503) {
                // Refused, nothing changed. The storm of large requests starves two cores enough that a storage node
                // can miss its lease renewal and refuse puts for a moment, so a write may also lose its quorum.
                Set<String> refusals = expected.get(i) == null
                        ? Set.of("overloaded", "write_quorum_not_reached", "insufficient_nodes")
                        : Set.of("overloaded");
                assertThat(answer.json().path("error").asString()).as(answer.text()).isIn(refusals);
                continue;
            }
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            if (expected.get(i) != null) {
                assertThat(answer.text()).isEqualTo(expected.get(i));
            }
            served[i % 3]++;
        }
        assertThat(served).as("replicated reads, ec reads and writes served, not all refused").doesNotContain(0);
        assertEveryGatewayUp();
        api.delete("e2e/memory/replicated");
        api.delete("e2e/memory/ec");
        for (int i = 2; i < answers.size(); i += 3) {
            api.delete("e2e/memory/w" + i);
        }
    }

    @Test
    void slowSendersDeclaringLargeBodiesDoNotTakeAGatewayDown() throws Exception {
        String gateway = cluster.gatewayUrl(1);
        int port = Integer.parseInt(gateway.substring(gateway.lastIndexOf(':') + 1));
        List<Socket> senders = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                senders.add(socket);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /write?key=e2e/memory/slow" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + (LocalCluster.MAX_BODY_BYTES - 1)
                        + "\r\n\r\n{\"a\":").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            HealerTestCluster.sleep(3000);

            Api direct = new Api(gateway, Duration.ofSeconds(30));
            String value = Values.large(100_000, 3);
            assertThat(direct.write("e2e/memory/beside-slow", "replication", value).status())
                    .as("the gateway keeps serving others while slow senders hang").isEqualTo(200);
            assertThat(direct.read("e2e/memory/beside-slow").text()).isEqualTo(value);
            assertThat(direct.delete("e2e/memory/beside-slow").status()).isEqualTo(200);
        } finally {
            for (Socket socket : senders) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // already closed by the gateway
                }
            }
        }
        assertEveryGatewayUp();
    }

    /**
     * The call, tried again while the connection to nginx could not even be opened: so many connections at once on a
     * busy machine can outlast the client's connect timeout, and such a request never reached a gateway.
     */
    private static Api.Response connecting(Supplier<Api.Response> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof HttpConnectTimeoutException) || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private void assertEveryGatewayUp() {
        for (int n = 1; n <= 3; n++) {
            assertThat(cluster.isRunning("gateway-" + n)).as("gateway-" + n + " is alive").isTrue();
            Api.Response health = new Api(cluster.gatewayUrl(n), Duration.ofSeconds(10)).get("/actuator/health");
            assertThat(health.status()).as("gateway-" + n + " health: " + health.text()).isEqualTo(200);
        }
    }
}
