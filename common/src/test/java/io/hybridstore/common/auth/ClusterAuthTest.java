package io.hybridstore.common.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterAuthTest {

    private static final String OLD = "the-old-cluster-secret-0001";
    private static final String NEW = "the-new-cluster-secret-0002";
    private static final byte[] BODY = "{\"ids\":[\"a\"]}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private static ClusterAuth auth(Clock clock, String... secrets) {
        return new ClusterAuth(ClusterSecrets.of(secrets), Duration.ofMinutes(5), clock);
    }

    private static void verify(ClusterAuth receiver, String method, String target, Map<String, String> headers) {
        receiver.verifyHttp(method, target, headers.get(ClusterAuth.DATE), headers.get(ClusterAuth.CONTENT_SHA256),
                headers.get(ClusterAuth.SIGNATURE));
    }

    @Test
    void aSignedHttpRequestVerifiesAndNothingAboutItCanBeChanged() {
        ClusterAuth auth = auth(Clock.systemUTC(), OLD);
        Map<String, String> headers = auth.httpHeaders("POST", "/blobs/check?verify=true", BODY);

        assertThatCode(() -> verify(auth, "POST", "/blobs/check?verify=true", headers)).doesNotThrowAnyException();
        assertThat(ClusterAuth.bodyMatches(BODY, headers.get(ClusterAuth.CONTENT_SHA256))).isTrue();
        assertThat(ClusterAuth.bodyMatches("{\"ids\":[\"b\"]}".getBytes(StandardCharsets.UTF_8),
                headers.get(ClusterAuth.CONTENT_SHA256))).as("another body").isFalse();
        assertRefused(() -> verify(auth, "DELETE", "/blobs/check?verify=true", headers), ClusterAuth.Refusal.BAD_SIGNATURE);
        assertRefused(() -> verify(auth, "POST", "/blobs/check?verify=false", headers), ClusterAuth.Refusal.BAD_SIGNATURE);
        assertRefused(() -> auth.verifyHttp("POST", "/blobs/check?verify=true", headers.get(ClusterAuth.DATE),
                "0".repeat(64), headers.get(ClusterAuth.SIGNATURE)), ClusterAuth.Refusal.BAD_SIGNATURE);
        assertRefused(() -> verify(auth(Clock.systemUTC(), NEW), "POST", "/blobs/check?verify=true", headers),
                ClusterAuth.Refusal.BAD_SIGNATURE);
    }

    @Test
    void missingOrMalformedProofIsRefusedAsSuch() {
        ClusterAuth auth = auth(Clock.systemUTC(), OLD);
        assertRefused(() -> auth.verifyHttp("GET", "/info", null, null, null), ClusterAuth.Refusal.MISSING);
        assertRefused(() -> auth.verifyHttp("GET", "/info", "yesterday", "0".repeat(64), "ab"),
                ClusterAuth.Refusal.MALFORMED);
        assertRefused(() -> auth.verifyHttp("GET", "/info", "1", "0".repeat(64), "not hex"),
                ClusterAuth.Refusal.MALFORMED);
    }

    @Test
    void aRequestSignedTenMinutesAgoOrAheadIsRefused() {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        ClusterAuth receiver = auth(Clock.fixed(now, ZoneOffset.UTC), OLD);
        Map<String, String> old = auth(Clock.fixed(now.minus(Duration.ofMinutes(10)), ZoneOffset.UTC), OLD)
                .httpHeaders("GET", "/info", new byte[0]);
        Map<String, String> ahead = auth(Clock.fixed(now.plus(Duration.ofMinutes(10)), ZoneOffset.UTC), OLD)
                .httpHeaders("GET", "/info", new byte[0]);
        Map<String, String> recent = auth(Clock.fixed(now.minus(Duration.ofMinutes(4)), ZoneOffset.UTC), OLD)
                .httpHeaders("GET", "/info", new byte[0]);

        assertRefused(() -> verify(receiver, "GET", "/info", old), ClusterAuth.Refusal.EXPIRED);
        assertRefused(() -> verify(receiver, "GET", "/info", ahead), ClusterAuth.Refusal.EXPIRED);
        assertThatCode(() -> verify(receiver, "GET", "/info", recent)).doesNotThrowAnyException();
    }

    @Test
    void aWireMacCoversEveryByteItWasComputedOver() {
        ClusterAuth auth = auth(Clock.systemUTC(), OLD);
        byte[] fields = "fields".getBytes(StandardCharsets.US_ASCII);
        long at = auth.now();
        Mac signer = auth.wireSigner();
        signer.update(fields);
        signer.update(BODY);
        byte[] mac = signer.doFinal();

        assertThatCode(() -> auth.verifyWire(at, mac, fields, BODY)).doesNotThrowAnyException();
        byte[] changed = BODY.clone();
        changed[3] ^= 1;
        assertRefused(() -> auth.verifyWire(at, mac, fields, changed), ClusterAuth.Refusal.BAD_SIGNATURE);
        assertRefused(() -> auth.verifyWire(at - Duration.ofMinutes(10).toMillis(), mac, fields, BODY),
                ClusterAuth.Refusal.EXPIRED);
    }

    /** During a rotation every service accepts both secrets, whichever it signs with, so no request is refused. */
    @Test
    void duringARotationBothSecretsAreAcceptedAndTheFirstSigns() {
        ClusterAuth before = auth(Clock.systemUTC(), OLD);
        ClusterAuth adding = auth(Clock.systemUTC(), OLD, NEW);
        ClusterAuth switched = auth(Clock.systemUTC(), NEW, OLD);
        ClusterAuth after = auth(Clock.systemUTC(), NEW);

        for (ClusterAuth signer : List.of(before, adding)) {
            Map<String, String> headers = signer.httpHeaders("GET", "/info", new byte[0]);
            for (ClusterAuth receiver : List.of(before, adding, switched)) {
                assertThatCode(() -> verify(receiver, "GET", "/info", headers)).doesNotThrowAnyException();
            }
        }
        Map<String, String> bySwitched = switched.httpHeaders("GET", "/info", new byte[0]);
        for (ClusterAuth receiver : List.of(adding, switched, after)) {
            assertThatCode(() -> verify(receiver, "GET", "/info", bySwitched)).doesNotThrowAnyException();
        }
        assertRefused(() -> verify(after, "GET", "/info", before.httpHeaders("GET", "/info", new byte[0])),
                ClusterAuth.Refusal.BAD_SIGNATURE);
    }

    @Test
    void aSecretFileIsReadAgainWhenItChanges() throws Exception {
        Path file = dir.resolve("cluster-secret");
        Files.writeString(file, "# the secret of this cluster\n" + OLD + "\n");
        ClusterAuth auth = ClusterAuth.of(new InternalAuthProperties(null, file, null));
        Map<String, String> byNew = auth(Clock.systemUTC(), NEW).httpHeaders("GET", "/info", new byte[0]);
        assertRefused(() -> verify(auth, "GET", "/info", byNew), ClusterAuth.Refusal.BAD_SIGNATURE);

        Files.writeString(file, NEW + "\n" + OLD + "\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        Thread.sleep(1100);

        assertThatCode(() -> verify(auth, "GET", "/info", byNew)).doesNotThrowAnyException();
        Map<String, String> signed = auth.httpHeaders("GET", "/info", new byte[0]);
        assertThatCode(() -> verify(auth(Clock.systemUTC(), NEW), "GET", "/info", signed))
                .as("the new first line signs").doesNotThrowAnyException();
    }

    @Test
    void aFileEmptiedMidRotationKeepsTheSecretsInForce() throws Exception {
        Path file = dir.resolve("cluster-secret");
        Files.writeString(file, OLD + "\n");
        ClusterAuth auth = ClusterAuth.of(new InternalAuthProperties(null, file, null));
        Files.writeString(file, "");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        Thread.sleep(1100);

        Map<String, String> byOld = auth(Clock.systemUTC(), OLD).httpHeaders("GET", "/info", new byte[0]);
        assertThatCode(() -> verify(auth, "GET", "/info", byOld)).doesNotThrowAnyException();
    }

    @Test
    void settingsWithoutASecretOrWithAShortOneAreRefusedAtStartUp() {
        assertThatThrownBy(() -> new InternalAuthProperties(null, null, null))
                .hasMessageContaining("no cluster secret");
        assertThatThrownBy(() -> ClusterSecrets.of("short"))
                .hasMessageContaining("shorter than 16 characters");
        assertThatThrownBy(() -> ClusterSecrets.of(OLD, NEW, "a-third-secret-of-the-cluster"))
                .hasMessageContaining("at most two");
    }

    private static void assertRefused(Runnable call, ClusterAuth.Refusal refusal) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ClusterAuth.UnauthenticatedException.class,
                e -> assertThat(e.refusal()).isEqualTo(refusal));
    }
}
