package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What nginx refuses itself, on both APIs, before a gateway spends anything on it (README, "Limits"). */
class ProxyLimitsTest {

    private final LocalCluster cluster = LocalCluster.get();
    private final Api api = new Api(cluster.gatewayUrl());

    @Test
    void aRequestLineOver8KibIs414WithAJsonError() {
        Api.Response response = api.get("/read/" + "k".repeat(9000));

        assertThat(response.status()).isEqualTo(414);
        assertThat(response.json().get("error").asString()).isEqualTo("uri_too_long");
    }

    @Test
    void aHeaderOver8KibIs400WithAJsonErrorAndAnS3Error() {
        Api.Response nativeApi = api.send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + "/read/any"))
                .header("X-Padding", "p".repeat(9000)).GET());
        Api.Response s3 = new Api(cluster.s3Url()).send(HttpRequest.newBuilder(URI.create(cluster.s3Url() + "/bucket"))
                .header("X-Padding", "p".repeat(9000)).GET());

        assertThat(nativeApi.status()).isEqualTo(400);
        assertThat(nativeApi.json().get("error").asString()).isEqualTo("bad_request");
        assertThat(s3.status()).isEqualTo(400);
        assertThat(s3.text()).contains("<Code>InvalidRequest</Code>");
    }

    /** Slowloris: a client that never finishes its headers is dropped after client_header_timeout (10 s). */
    @Test
    void aClientThatNeverFinishesItsHeadersIsCutOff() throws Exception {
        URI base = URI.create(cluster.gatewayUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /read/any HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            String answer;
            try {
                answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (SocketTimeoutException stillOpen) {
                answer = "still open after 30 s";
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(answer).as("what nginx sent before closing").satisfiesAnyOf(
                    a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 408"));
            assertThat(seconds).as("seconds until the connection was closed").isBetween(5.0, 25.0);
        }
    }
}
