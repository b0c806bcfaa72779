package io.hybridstore.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;

/**
 * Signs and checks the requests the services of one cluster make to each other: HMAC-SHA256 with the cluster
 * secret over what the request does and when it was signed. What it does is the operation, the target and the
 * body itself (a blob's bytes; an HTTP body's SHA-256), so a captured request cannot be replayed with another body;
 * when is a millisecond timestamp, and a request signed further than {@code max-skew} from the receiver's clock is
 * refused, so it cannot be replayed much later either. Within the skew a replay repeats the same request, which
 * is harmless here: blobs are immutable and every internal call idempotent.
 *
 * <p>HTTP requests carry the proof in three headers, {@value #DATE}, {@value #CONTENT_SHA256} and
 * {@value #SIGNATURE}; the blob protocol carries the time and the MAC in its request frame.
 */
public final class ClusterAuth {

    public static final String DATE = "X-HybridStore-Date";
    public static final String CONTENT_SHA256 = "X-HybridStore-Content-SHA256";
    public static final String SIGNATURE = "X-HybridStore-Signature";
    public static final int MAC_LENGTH = 32;

    private static final byte[] HTTP_SCHEME = "HYBRIDSTORE-HMAC-SHA256-HTTP\n".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();

    private final ClusterSecrets secrets;
    private final long maxSkewMillis;
    private final Clock clock;

    public ClusterAuth(ClusterSecrets secrets, Duration maxSkew, Clock clock) {
        this.secrets = secrets;
        this.maxSkewMillis = maxSkew.toMillis();
        this.clock = clock;
    }

    public static ClusterAuth of(InternalAuthProperties properties) {
        return new ClusterAuth(ClusterSecrets.of(properties), properties.maxSkew(), Clock.systemUTC());
    }

    /** Why a request was refused; the tag of the rejection metric. */
    public enum Refusal {
        MISSING, MALFORMED, EXPIRED, BAD_SIGNATURE;

        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A request the receiver refuses, and why. */
    public static final class UnauthenticatedException extends RuntimeException {
        private final Refusal refusal;

        public UnauthenticatedException(Refusal refusal, String message) {
            super(message);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    public long now() {
        return clock.millis();
    }

    /** A Mac for signing a blob frame: the caller feeds it the frame's signed fields and body, then {@code doFinal}. */
    public Mac wireSigner() {
        return secrets.signer();
    }

    /**
     * Checks a blob frame's MAC; {@code signed} is the frame's signed fields and body as fed to the signer.
     *
     * @throws UnauthenticatedException when it is not signed with an accepted secret or not within the skew
     */
    public void verifyWire(long signedAt, byte[] mac, byte[]... signed) {
        requireFresh(signedAt);
        for (Mac verifier : secrets.verifiers()) {
            for (byte[] part : signed) {
                verifier.update(part);
            }
            if (MessageDigest.isEqual(verifier.doFinal(), mac)) {
                return;
            }
        }
        throw new UnauthenticatedException(Refusal.BAD_SIGNATURE, "the request is not signed with this cluster's"
                + " secret, or was changed after it was signed");
    }

    /**
     * 32-byte keys for {@code purpose} derived from the accepted secrets (HMAC-SHA256 of the purpose), the signing
     * secret's first: what the cluster encrypts with its secret stays readable by either secret during a rotation.
     */
    public List<byte[]> derivedKeys(String purpose) {
        byte[] label = ("HYBRIDSTORE-KEY\n" + purpose).getBytes(StandardCharsets.UTF_8);
        return secrets.verifiers().stream().map(mac -> mac.doFinal(label)).toList();
    }

    /** The headers proving an HTTP request: {@code target} is the path with its raw query, as sent. */
    public Map<String, String> httpHeaders(String method, String target, byte[] body) {
        String date = Long.toString(now());
        String contentSha256 = HEX.formatHex(sha256(body));
        Mac mac = secrets.signer();
        byte[] signature = httpSignature(mac, method, target, date, contentSha256);
        return Map.of(DATE, date, CONTENT_SHA256, contentSha256, SIGNATURE, HEX.formatHex(signature));
    }

    /**
     * Checks an HTTP request's headers (any may be null when absent). The body is not read here: the caller
     * compares its SHA-256 with {@code contentSha256} once the signature over that digest has held, so that no
     * body of an unproven sender is ever buffered.
     */
    public void verifyHttp(String method, String target, String date, String contentSha256, String signature) {
        if (date == null || contentSha256 == null || signature == null) {
            throw new UnauthenticatedException(Refusal.MISSING, "this endpoint is for the cluster's own services:"
                    + " the request must carry " + DATE + ", " + CONTENT_SHA256 + " and " + SIGNATURE);
        }
        long signedAt;
        byte[] given;
        try {
            signedAt = Long.parseLong(date);
            given = HEX.parseHex(signature);
        } catch (IllegalArgumentException e) {
            throw new UnauthenticatedException(Refusal.MALFORMED, DATE + " must be epoch milliseconds and "
                    + SIGNATURE + " hex");
        }
        if (contentSha256.length() != 64) {
            throw new UnauthenticatedException(Refusal.MALFORMED, CONTENT_SHA256 + " must be 64 hex digits");
        }
        requireFresh(signedAt);
        List<Mac> verifiers = secrets.verifiers();
        for (Mac verifier : verifiers) {
            if (MessageDigest.isEqual(httpSignature(verifier, method, target, date, contentSha256), given)) {
                return;
            }
        }
        throw new UnauthenticatedException(Refusal.BAD_SIGNATURE, "the request is not signed with this cluster's"
                + " secret, or was changed after it was signed");
    }

    /** Whether {@code body} is what {@code contentSha256} (already verified) says. */
    public static boolean bodyMatches(byte[] body, String contentSha256) {
        return MessageDigest.isEqual(HEX.formatHex(sha256(body)).getBytes(StandardCharsets.US_ASCII),
                contentSha256.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    private void requireFresh(long signedAt) {
        long off = now() - signedAt;
        if (Math.abs(off) > maxSkewMillis) {
            throw new UnauthenticatedException(Refusal.EXPIRED, "the request was signed " + Duration.ofMillis(off)
                    + " from this service's clock, beyond the allowed skew of " + Duration.ofMillis(maxSkewMillis));
        }
    }

    private static byte[] httpSignature(Mac mac, String method, String target, String date, String contentSha256) {
        mac.update(HTTP_SCHEME);
        mac.update((method + "\n" + target + "\n" + date + "\n" + contentSha256.toLowerCase(Locale.ROOT))
                .getBytes(StandardCharsets.UTF_8));
        return mac.doFinal();
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
