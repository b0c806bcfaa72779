package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ErasureCodedEndToEndTest {

    private final LocalCluster cluster = LocalCluster.get();
    private final Api api = new Api(cluster.gatewayUrl());

    @Test
    void smallObjectRoundTripsThroughSixShards() {
        String key = "e2e/ec/small";
        String value = "{\"name\":\"tiny\",\"n\":1}";
        Api.Response written = api.write(key, "ec", value);
        assertThat(written.status()).as(written.text()).isEqualTo(200);
        JsonNode body = written.json();
        assertThat(body.get("strategy").asString()).isEqualTo("ec");
        assertThat(body.get("chunks_written").asInt()).isEqualTo(6);
        assertThat(body.get("total_chunks").asInt()).isEqualTo(6);
        assertThat(api.read(key).text()).isEqualTo(value);
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @Test
    void largeObjectIsStripedAndReadBackExactly() {
        String key = "e2e/ec/large";
        String value = Values.large(2_600_000, 7);
        long before = api.storageUsage();
        Api.Response written = api.write(key, "ec", value);
        assertThat(written.status()).as(written.text()).isEqualTo(200);
        assertThat(written.json().get("total_chunks").asInt()).as("3 stripes of 1 MiB").isEqualTo(18);
        assertThat(api.read(key).text()).isEqualTo(value);
        assertThat(api.storageUsage() - before).as("1.5x overhead of RS(4,2)").isBetween((long) (value.length() * 1.5), (long) (value.length() * 1.5) + 64);
        assertThat(api.delete(key).status()).isEqualTo(200);
        assertThat(api.storageUsage()).isEqualTo(before);
    }

    @Test
    void readSurvivesTwoStoppedNodesAndWritesBelowQuorumChangeNothing() {
        String key = "e2e/ec/degraded";
        String value = Values.large(300_000, 3);
        assertThat(api.write(key, "ec", value).status()).isEqualTo(200);
        List<String> stopped = List.of("storage-node-2", "storage-node-5");
        stopped.forEach(cluster::kill);
        try {
            // Measured on the nodes left, well inside the healer's node grace: once a node has been down that long,
            // the healer copies other tests' replicas elsewhere and the usage moves for reasons of its own.
            long before = api.storageUsage();
            Api.Response read = api.read(key);
            assertThat(read.status()).as(read.text()).isEqualTo(200);
            assertThat(read.text()).isEqualTo(value);

            Api.Response refused = api.write(key, "ec", "{\"replaced\":true}");
            assertThat(refused.status()).as(refused.text()).isEqualTo(503);
            assertThat(refused.json().get("error").asString()).isIn("write_quorum_not_reached", "insufficient_nodes");
            assertThat(api.read(key).text()).isEqualTo(value);
            assertThat(api.storageUsage()).as("the refused write left no blob behind").isEqualTo(before);
        } finally {
            cluster.start(stopped.toArray(String[]::new));
        }
        assertThat(api.read(key).text()).isEqualTo(value);
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    @Test
    void chunkedBodyIsStreamedIntoStripesWithoutADeclaredLength() {
        String key = "e2e/ec/chunked";
        String value = Values.large(2_600_000, 11);
        long before = api.storageUsage();
        Api.Response written = postChunked(key, value.getBytes(StandardCharsets.UTF_8));
        assertThat(written.status()).as(written.text()).isEqualTo(200);
        assertThat(written.json().get("size").asLong()).isEqualTo(value.length());
        assertThat(written.json().get("total_chunks").asInt()).as("3 stripes of 1 MiB").isEqualTo(18);
        assertThat(api.read(key).text()).isEqualTo(value);
        assertThat(api.delete(key).status()).isEqualTo(200);
        assertThat(api.storageUsage()).isEqualTo(before);
    }

    @Test
    void bodyFoundInvalidAfterStripesWereWrittenLeavesNothingBehind() {
        String key = "e2e/ec/invalid-tail";
        String value = Values.large(2_600_000, 12);
        long before = api.storageUsage();
        Api.Response refused = postChunked(key, (value + ",\"garbage\"]").getBytes(StandardCharsets.UTF_8));
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.json().get("error").asString()).isEqualTo("invalid_json");
        assertThat(api.read(key).status()).isEqualTo(404);
        assertThat(api.storageUsage()).as("the stripes written before the body turned out invalid are deleted").isEqualTo(before);
    }

    @Test
    void anUploadSlowerThanTheZombieTimeoutIsNotRolledBack() {
        String key = "e2e/ec/slow-upload";
        String value = Values.large(2_600_000, 13);
        // The healers roll back intents idle for 10 s here; the gateway's heartbeats (every 3 s) keep this one alive.
        InputStream body = stallingHalfway(value.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(15));
        Api.Response written = api.send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + "/write?strategy=ec&key="
                        + Api.encode(key)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)));
        assertThat(written.status()).as(written.text()).isEqualTo(200);
        assertThat(api.read(key).text()).isEqualTo(value);
        assertThat(api.delete(key).status()).isEqualTo(200);
    }

    /** The bytes with a pause after the first half, as a client on a stalled link would send them. */
    private static InputStream stallingHalfway(byte[] bytes, Duration pause) {
        int half = bytes.length / 2;
        InputStream rest = new FilterInputStream(new ByteArrayInputStream(bytes, half, bytes.length - half)) {
            private boolean paused;

            @Override
            public int read() throws IOException {
                pauseOnce();
                return super.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                pauseOnce();
                return super.read(buffer, offset, length);
            }

            private void pauseOnce() throws InterruptedIOException {
                if (!paused) {
                    paused = true;
                    try {
                        Thread.sleep(pause);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted during the pause");
                    }
                }
            }
        };
        return new SequenceInputStream(new ByteArrayInputStream(bytes, 0, half), rest);
    }

    /** Straight to a gateway, chunked: nginx would buffer the body and declare its length. */
    private Api.Response postChunked(String key, byte[] body) {
        String gateway = cluster.gatewayUrl(1);
        return new Api(gateway).send(HttpRequest.newBuilder(URI.create(gateway + "/write?strategy=ec&key=" + Api.encode(key)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
    }

}
