package io.hybridstore.gateway.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamedBodyTest {

    private static final int LIMIT = 4 << 20;
    private final JsonObjectCheck check = new JsonObjectCheck(8, LIMIT);

    @Test
    void readsALargeObjectInPiecesAndChecksItWhole() {
        byte[] json = ("{\"a\":\"" + "é".repeat(300_000) + "\",\"n\":12345678901234567890}").getBytes(StandardCharsets.UTF_8);
        try (StreamedBody body = body(json, json.length)) {
            assertThat(readInPieces(body, 100_000)).isEqualTo(json);
            body.finish();
        }
    }

    @Test
    void aBodyThatIsNotAnObjectFailsWhileStillBeingRead() {
        byte[] json = ("[\"" + "x".repeat(1_000_000) + "\"]").getBytes(StandardCharsets.UTF_8);
        try (StreamedBody body = body(json, -1)) {
            assertThatThrownBy(() -> {
                readInPieces(body, 65_536);
                body.finish();
            }).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(422));
        }
    }

    @Test
    void anUnclosedObjectFailsAtTheEnd() {
        byte[] json = "{\"a\":1".getBytes(StandardCharsets.UTF_8);
        try (StreamedBody body = body(json, json.length)) {
            readInPieces(body, 4);
            assertThatThrownBy(body::finish)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(422));
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWith413() {
        byte[] json = ("{\"a\":\"" + "x".repeat(LIMIT) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (StreamedBody body = body(json, -1)) {
            assertThatThrownBy(() -> readInPieces(body, 1 << 20))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(413));
        }
    }

    @Test
    void anEmptyChunkedBodyIsRefusedWith422() {
        try (StreamedBody body = body(new byte[0], -1)) {
            assertThatThrownBy(() -> body.readNext(new byte[16]))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(422));
        }
    }

    private StreamedBody body(byte[] bytes, long declared) {
        InputStream in = new ByteArrayInputStream(bytes);
        return new StreamedBody(in, declared, LIMIT, check);
    }

    private static byte[] readInPieces(StreamedBody body, int piece) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[piece];
        int n;
        do {
            n = body.readNext(buffer);
            out.write(buffer, 0, n);
        } while (n == buffer.length);
        return out.toByteArray();
    }
}
