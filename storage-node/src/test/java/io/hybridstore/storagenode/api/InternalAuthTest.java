package io.hybridstore.storagenode.api;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.auth.ClusterSecrets;
import io.hybridstore.common.auth.TestAuth;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.NodeInfo;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.common.node.StorageNodeException;
import io.hybridstore.storagenode.testsupport.InJvmNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Only the cluster's own services get anything from a node: unsigned or wrongly signed requests change nothing. */
class InternalAuthTest {

    @TempDir
    static Path dataDir;

    private static InJvmNode running;
    private static NodeInfo node;
    private static final StorageNodeClient member =
            new StorageNodeClient(TestAuth.AUTH, Duration.ofSeconds(2), Duration.ofSeconds(10));
    private static final StorageNodeClient stranger = new StorageNodeClient(new ClusterAuth(
            ClusterSecrets.of("the-secret-of-another-cluster"), Duration.ofMinutes(5), Clock.systemUTC()),
            Duration.ofSeconds(2), Duration.ofSeconds(10));
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final byte[] DATA = "kept safe".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void startNode() {
        running = InJvmNode.start("auth-test-node", dataDir, "hybridstore.storage-node.registration.enabled=false");
        node = running.node();
    }

    @AfterAll
    static void stopNode() {
        running.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder to(String target) {
        return HttpRequest.newBuilder(URI.create(node.url() + target));
    }

    @Test
    void aPeerWithAnotherSecretCanNeitherPutNorDeleteNorRead() {
        member.put(node, new BlobId("guarded"), DATA, Checksums.crc32c(DATA));
        byte[] forged = "forged".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> stranger.put(node, new BlobId("planted"), forged, Checksums.crc32c(forged)))
                .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> stranger.delete(node, new BlobId("guarded")))
                .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> stranger.get(node, new BlobId("guarded"), OptionalLong.empty()))
                .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> stranger.list(node, null, 10))
                .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isEqualTo(401));

        assertThat(member.get(node, new BlobId("guarded"), OptionalLong.empty())).hasValue(DATA);
        assertThat(member.get(node, new BlobId("planted"), OptionalLong.empty())).isEmpty();
    }

    @Test
    void unsignedHttpRequestsAreRefusedBeforeTheyDoAnything() throws Exception {
        HttpResponse<String> put = send(to("/blobs/unsigned").PUT(HttpRequest.BodyPublishers.ofByteArray(DATA)));
        HttpResponse<String> info = send(to("/info"));
        HttpResponse<String> compact = send(to("/compact").POST(HttpRequest.BodyPublishers.noBody()));

        for (HttpResponse<String> refused : new HttpResponse[]{put, info, compact}) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).startsWith("{\"error\":\"unauthenticated\",\"detail\":");
        }
        assertThat(member.get(node, new BlobId("unsigned"), OptionalLong.empty())).isEmpty();
        assertThat(send(to("/health")).statusCode()).isEqualTo(200);
        assertThat(send(to("/actuator/prometheus")).body())
                .contains("hybridstore_internal_auth_refused_total{reason=\"missing\",transport=\"http\"}");
    }

    @Test
    void aSignedRequestReplayedWithAnotherBodyOrAnotherTargetIsRefused() throws Exception {
        byte[] signedBody = "{\"ids\":[\"guarded\"]}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> proof = TestAuth.AUTH.httpHeaders("PUT", "/blobs/replayed", signedBody);
        byte[] other = "{\"ids\":[\"others\"]}".getBytes(StandardCharsets.UTF_8);

        HttpRequest.Builder otherBody = to("/blobs/replayed").PUT(HttpRequest.BodyPublishers.ofByteArray(other));
        proof.forEach(otherBody::header);
        HttpRequest.Builder otherTarget = to("/blobs/elsewhere").PUT(HttpRequest.BodyPublishers.ofByteArray(signedBody));
        proof.forEach(otherTarget::header);

        assertThat(send(otherBody).statusCode()).isEqualTo(401);
        assertThat(send(otherTarget).statusCode()).isEqualTo(401);
        assertThat(member.get(node, new BlobId("replayed"), OptionalLong.empty())).isEmpty();
        assertThat(member.get(node, new BlobId("elsewhere"), OptionalLong.empty())).isEmpty();
    }

    @Test
    void aRequestSignedTenMinutesAgoIsRefused() throws Exception {
        ClusterAuth late = new ClusterAuth(ClusterSecrets.of(TestAuth.SECRET), Duration.ofMinutes(5),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
        HttpRequest.Builder info = to("/info");
        late.httpHeaders("GET", "/info", new byte[0]).forEach(info::header);

        HttpResponse<String> answer = send(info);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("beyond the allowed skew");
        StorageNodeClient lateClient = new StorageNodeClient(late, Duration.ofSeconds(2), Duration.ofSeconds(10));
        assertThatThrownBy(() -> lateClient.put(node, new BlobId("late"), DATA, Checksums.crc32c(DATA)))
                .isInstanceOfSatisfying(StorageNodeException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(member.get(node, new BlobId("late"), OptionalLong.empty())).isEmpty();
    }
}
