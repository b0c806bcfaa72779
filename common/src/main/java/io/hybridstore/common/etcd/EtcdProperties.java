package io.hybridstore.common.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;

import javax.net.ssl.SSLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How every HybridStore service reaches etcd, settings {@code hybridstore.etcd.*}. Plain Java, so that common stays
 * free of Spring: each service binds it by its constructor (Spring Boot's {@code Binder}), and a setting left out
 * gets its default here.
 *
 * @param endpoints      client URLs of the etcd members; a comma-separated string binds too; {@code https://} ones
 *                       need {@code tlsCaFile}
 * @param prefix         root of HybridStore's keys in etcd (see {@link EtcdKeys})
 * @param requestTimeout upper bound for one etcd call made by the service
 * @param tlsCaFile      PEM certificate(s) of the CA that signed the etcd members' server certificates
 * @param tlsCertFile    PEM client certificate, for members that require one ({@code --client-cert-auth})
 * @param tlsKeyFile     its private key, PEM PKCS#8
 * @param user           etcd user, for a cluster with authentication enabled; with {@code password}
 * @param password       that user's password
 */
public record EtcdProperties(List<String> endpoints, String prefix, Duration requestTimeout, Path tlsCaFile,
                             Path tlsCertFile, Path tlsKeyFile, String user, String password) {

    /** Where the settings live. */
    public static final String PREFIX = "hybridstore.etcd";

    public static final List<String> DEFAULT_ENDPOINTS = List.of("http://127.0.0.1:2379");
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    public EtcdProperties {
        endpoints = endpoints == null ? DEFAULT_ENDPOINTS : endpoints.stream().map(String::trim).toList();
        if (endpoints.isEmpty() || endpoints.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException(PREFIX + ".endpoints must name at least one URL and no empty one");
        }
        prefix = prefix == null ? EtcdKeys.DEFAULT_PREFIX : prefix;
        if (prefix.isBlank()) {
            throw new IllegalArgumentException(PREFIX + ".prefix must not be blank");
        }
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        if (!requestTimeout.isPositive()) {
            throw new IllegalArgumentException(PREFIX + ".request-timeout must be positive, not " + requestTimeout);
        }
        if ((tlsCertFile == null) != (tlsKeyFile == null)) {
            throw new IllegalArgumentException(PREFIX + ".tls-cert-file and " + PREFIX + ".tls-key-file go together");
        }
        if (tlsCertFile != null && tlsCaFile == null) {
            throw new IllegalArgumentException(PREFIX + ".tls-cert-file needs " + PREFIX + ".tls-ca-file");
        }
        if (endpoints.stream().anyMatch(e -> e.startsWith("https://")) && tlsCaFile == null) {
            throw new IllegalArgumentException("https etcd endpoints need " + PREFIX + ".tls-ca-file, the CA that"
                    + " signed the members' certificates");
        }
        user = user == null || user.isBlank() ? null : user;
        if ((user == null) != (password == null || password.isEmpty())) {
            throw new IllegalArgumentException(PREFIX + ".user and " + PREFIX + ".password go together");
        }
    }

    /**
     * Plain-text etcd without authentication, as the local cluster runs it. A factory, not a second constructor:
     * Spring's binder must see the canonical one alone.
     */
    public static EtcdProperties plain(List<String> endpoints, String prefix, Duration requestTimeout) {
        return new EtcdProperties(endpoints, prefix, requestTimeout, null, null, null, null, null);
    }

    /**
     * A client builder for these endpoints, with TLS and authentication when configured; every service builds its
     * etcd client here and adds its own timeouts.
     */
    public ClientBuilder clientBuilder() {
        ClientBuilder builder = Client.builder().endpoints(endpoints.toArray(String[]::new));
        if (tlsCaFile != null) {
            try {
                builder.sslContext(ssl -> {
                    ssl.trustManager(tlsCaFile.toFile());
                    if (tlsCertFile != null) {
                        ssl.keyManager(tlsCertFile.toFile(), tlsKeyFile.toFile());
                    }
                });
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot use the etcd TLS files " + tlsCaFile
                        + (tlsCertFile == null ? "" : ", " + tlsCertFile + ", " + tlsKeyFile) + ": " + e.getMessage(), e);
            }
        }
        if (user != null) {
            builder.user(ByteSequence.from(user, StandardCharsets.UTF_8))
                    .password(ByteSequence.from(password, StandardCharsets.UTF_8));
        }
        return builder;
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "EtcdProperties[endpoints=" + endpoints + ", prefix=" + prefix + ", requestTimeout=" + requestTimeout
                + ", tlsCaFile=" + tlsCaFile + ", tlsCertFile=" + tlsCertFile + ", user=" + user + "]";
    }

    public EtcdKeys keys() {
        return new EtcdKeys(prefix);
    }
}
