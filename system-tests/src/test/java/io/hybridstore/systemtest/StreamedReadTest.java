package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** An {@code ec} read streams stripe by stripe; a stripe that fails after the first ones were sent cuts it off. */
class StreamedReadTest {

    private final LocalCluster cluster = LocalCluster.get();
    private final Api api = new Api(cluster.gatewayUrl());

    @Test
    void aLaterStripeThatCannotBeReadCutsTheAnswerOffAndNeverCompletesIt() throws Exception {
        String key = "e2e/stream/cut";
        String value = Values.large(3 * 1024 * 1024 + 10_000, 7);
        String version = api.write(key, "ec", value).json().path("version").asString();
        // Three of the six shards of the last stripe gone: k = 4 cannot be reached, and the healer cannot repair it.
        HealerTestCluster nodes = new HealerTestCluster();
        AtomicInteger deleted = new AtomicInteger();
        nodes.blobsOf(version).forEach((node, ids) -> ids.stream()
                .filter(id -> id.startsWith(version + ".data-s3.") && !id.endsWith(".3") && !id.endsWith(".4")
                        && !id.endsWith(".5"))
                .forEach(id -> {
                    nodes.deleteBlob(node, id);
                    deleted.incrementAndGet();
                }));
        assertThat(deleted.get()).isEqualTo(3);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest read = HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + "/read/" + Api.encodePath(key)))
                .timeout(Duration.ofSeconds(60)).GET().build();
        int status;
        try {
            status = http.send(read, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
        } catch (IOException cutOffShortOfContentLength) {
            status = -1;
        }
        assertThat(status).as("cut off (-1) or an error answer, never a complete 200").isNotEqualTo(200);
        assertThat(api.delete(key).status()).isEqualTo(200);
    }
}
