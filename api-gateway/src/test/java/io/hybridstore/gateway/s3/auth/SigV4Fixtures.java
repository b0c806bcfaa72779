package io.hybridstore.gateway.s3.auth;

import io.hybridstore.gateway.s3.S3Error;
import io.hybridstore.gateway.s3.S3Exception;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Requests signed the way clients sign them, and the assertions the SigV4 tests share. */
final class SigV4Fixtures {

    /** The key pair of the AWS documentation's examples. */
    static final String AKID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private SigV4Fixtures() {
    }

    static SigV4Verifier verifier(Clock clock) {
        return new SigV4Verifier(key -> key.equals(AKID) ? Optional.of(SECRET) : Optional.empty(), clock);
    }

    /** A request to http://localhost:9000 with an already-encoded path and query, as the SDK's S3 client builds it. */
    static SdkHttpRequest.Builder request(String method, String encodedPath) {
        return SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).protocol("http").host("localhost")
                .port(9000).encodedPath(encodedPath);
    }

    /** Signed by the AWS SDK's own SigV4 signer, with S3's settings (no double encoding, no path normalisation). */
    static software.amazon.awssdk.http.auth.spi.signer.SignedRequest sdkSign(
            SdkHttpRequest request, byte[] body, Instant at,
            Consumer<SignRequest.Builder<AwsCredentialsIdentity>> properties) {
        return AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(AKID, SECRET))
                    .request(request)
                    .payload(body == null ? null : ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-3")
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC));
            properties.accept(r);
        });
    }

    /** What the gateway sees of an SDK request: its raw path and query, its headers by lower-case name. */
    static SignedRequest received(SdkHttpRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.forEachHeader((name, values) -> headers.computeIfAbsent(name.toLowerCase(Locale.ROOT),
                n -> new ArrayList<>()).addAll(values));
        headers.putIfAbsent("host", List.of(request.host() + ":" + request.port()));
        return new SignedRequest(request.method().name(), request.getUri().getRawPath(),
                request.getUri().getRawQuery(), headers);
    }

    /** The same request with one header's values replaced (or removed, for none). */
    static SignedRequest withHeader(SignedRequest request, String name, String... values) {
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        if (values.length == 0) {
            headers.remove(name);
        } else {
            headers.put(name, List.of(values));
        }
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers);
    }

    static SignedRequest withPath(SignedRequest request, String rawPath) {
        return new SignedRequest(request.method(), rawPath, request.rawQuery(), request.headers());
    }

    static SignedRequest withQuery(SignedRequest request, String rawQuery) {
        return new SignedRequest(request.method(), request.rawPath(), rawQuery, request.headers());
    }

    static byte[] bytes(ContentStreamProvider provider) {
        try (InputStream in = provider.newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The decoded body, read to its end in small, uneven reads, as a servlet stream may deliver it. */
    static byte[] decode(SigV4Verifier.Verified verified, SignedRequest request, byte[] wire) {
        Payloads.Body body = Payloads.body(verified, request, new ByteArrayInputStream(wire));
        return readAll(body);
    }

    static byte[] readAll(InputStream body) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[7919];
            int n;
            int round = 0;
            while ((n = body.read(buffer, 0, 1 + (round++ * 4099) % buffer.length)) >= 0) {
                out.write(buffer, 0, n);
            }
            assertThat(body.read()).as("a body stays at its end").isEqualTo(-1);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void refused(S3Error error, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.error()).as(e.getMessage()).isEqualTo(error);
            assertThat(e.getMessage()).doesNotContain(SECRET);
        });
    }

    /** HMAC-SHA256 and SHA-256 of the JDK, for what a test signs itself. */
    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] signingKey(String date, String region) {
        return hmac(hmac(hmac(hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), date), region), "s3"),
                "aws4_request");
    }

    static String sha256Hex(byte[] data) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
