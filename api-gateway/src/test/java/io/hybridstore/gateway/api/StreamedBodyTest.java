package io.hybridstore.gateway.api;

import io.hybridstore.gateway.memory.MemoryBudget;
import io.hybridstore.gateway.memory.OverloadedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamedBodyTest {

    private static final int LIMIT = 4 << 20;
    private final JsonObjectCheck check = new JsonObjectCheck(8, LIMIT);
    private final MemoryBudget budget = new MemoryBudget(64 << 20, Duration.ofSeconds(1), new SimpleMeterRegistry());

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

    @Test
    void bodiesOverTheLimitAre413WhateverContentLengthSays() {
        byte[] eleven = "{\"a\":\"xxx\"}".getBytes(StandardCharsets.UTF_8);
        byte[] ten = "{\"a\":\"xx\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(readAllStatus(eleven, -1, 10)).isEqualTo(413);
        assertThat(readAllStatus(ten, 11, 10)).isEqualTo(413);
        assertThat(readAllStatus(ten, 10, 10)).isEqualTo(0);
        assertThat(readAllStatus(ten, -1, 10)).isEqualTo(0);
        assertThat(readAllStatus(new byte[0], -1, 10)).isEqualTo(422);
    }

    @Test
    void aBodyShorterThanDeclaredIsUnreadable() {
        byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        try (StreamedBody body = new StreamedBody(new ByteArrayInputStream(json), 100, LIMIT, check,
                budget.reserve(0), 0, 1)) {
            assertThatThrownBy(body::readAll).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("could not read the request body");
        }
    }

    @Test
    void aLargeBodyIsReadWholeAndItsMemoryGivenBackOnClose() {
        byte[] json = ("{\"a\":\"" + "x".repeat(1_000_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        for (long declared : new long[] {json.length, -1}) {
            try (StreamedBody body = body(json, declared)) {
                assertThat(body.readAll()).isEqualTo(json);
                assertThat(budget.inUse()).isEqualTo(json.length);
            }
            assertThat(budget.inUse()).isZero();
        }
    }

    @Test
    void aWriteThatDerivesValuesFromItsBodyReservesThemToo() {
        byte[] json = ("{\"a\":\"" + "x".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (StreamedBody body = new StreamedBody(new ByteArrayInputStream(json), json.length, LIMIT, check,
                budget.reserve(0), 0, 3)) {
            body.readAll();
            assertThat(budget.inUse()).isEqualTo(3L * json.length);
        }
        assertThat(budget.inUse()).isZero();
    }

    /** Five bytes of a declared 60 MB body: the gateway holds what arrived, not what was promised. */
    @Test
    void aSlowSenderHoldsOnlyWhatItSent() throws Exception {
        PipedOutputStream sender = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(sender, 1 << 16);
        sender.write("{\"a\":".getBytes(StandardCharsets.UTF_8));
        StreamedBody body = new StreamedBody(in, 60_000_000, 64_000_000, check, budget.reserve(0), 0, 1);
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                body.readAll();
            } catch (UncheckedIOException expected) {
                // the sender hangs up below
            }
        });
        while (in.available() > 0 || reader.getState() != Thread.State.WAITING
                && reader.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(10);
        }

        assertThat(budget.inUse()).isLessThanOrEqualTo(64 * 1024);
        sender.close();
        reader.join();
        body.close();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aBodyThatDoesNotFitTheBudgetIsRefusedWith503Overloaded() {
        MemoryBudget small = new MemoryBudget(100_000, Duration.ofMillis(50), new SimpleMeterRegistry());
        byte[] json = ("{\"a\":\"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (MemoryBudget.Reservation other = small.reserve(90_000);
             StreamedBody body = new StreamedBody(new ByteArrayInputStream(json), json.length, LIMIT, check,
                     small.reserve(0), 0, 1)) {
            assertThatThrownBy(body::readAll).isInstanceOf(OverloadedException.class);
        }
        assertThat(small.inUse()).isZero();
    }

    @Test
    void readingInPiecesReservesTheStripeWorkingSetOnce() {
        byte[] json = ("{\"a\":\"" + "x".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (StreamedBody body = new StreamedBody(new ByteArrayInputStream(json), json.length, LIMIT, check,
                budget.reserve(0), 5_000, 1)) {
            readInPieces(body, 100_000);
            assertThat(budget.inUse()).isEqualTo(5_000);
        }
        assertThat(budget.inUse()).isZero();
    }

    private int readAllStatus(byte[] bytes, long declared, long limit) {
        try (StreamedBody body = new StreamedBody(new ByteArrayInputStream(bytes), declared, limit,
                new JsonObjectCheck(8, limit), budget.reserve(0), 0, 1)) {
            body.readAll();
            return 0;
        } catch (ApiException e) {
            return e.status().value();
        }
    }

    private StreamedBody body(byte[] bytes, long declared) {
        InputStream in = new ByteArrayInputStream(bytes);
        return new StreamedBody(in, declared, LIMIT, check, budget.reserve(0), 0, 1);
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
