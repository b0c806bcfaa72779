package io.hybridstore.common.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * etcd over TLS and with authentication, through {@link EtcdProperties#clientBuilder()}, which every service (the
 * gateway's manifest store, the healer's election, a node's registration) builds its etcd client with. Real etcd,
 * certificates made by openssl for the test.
 */
class EtcdTlsTest {

    private static final ByteSequence KEY = ByteSequence.from("/tls-test/k", StandardCharsets.UTF_8);
    private static final ByteSequence VALUE = ByteSequence.from("v", StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void aClientWithTheCaAndAClientCertificateReachesEtcdThatRequiresThemAndOneWithoutDoesNot() throws Exception {
        Certificates certs = Certificates.make(dir);
        String endpoint = startEtcd(certs, true);

        EtcdProperties mutual = new EtcdProperties(List.of(endpoint), null, null, certs.ca(), certs.clientCert(),
                certs.clientKey(), null, null);
        EtcdProperties serverOnly = new EtcdProperties(List.of(endpoint), null, null, certs.ca(), null, null, null,
                null);

        try (Client client = mutual.clientBuilder().build()) {
            client.getKVClient().put(KEY, VALUE).get(10, TimeUnit.SECONDS);
            assertThat(client.getKVClient().get(KEY).get(10, TimeUnit.SECONDS).getKvs()).hasSize(1);
        }
        try (Client client = serverOnly.clientBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            assertThatThrownBy(() -> client.getKVClient().get(KEY).get(5, TimeUnit.SECONDS))
                    .as("without a client certificate").isInstanceOfAny(ExecutionException.class, TimeoutException.class);
        }
    }

    @Test
    void aClusterWithAuthenticationServesTheUserWithItsPasswordOnly() throws Exception {
        Certificates certs = Certificates.make(dir);
        String endpoint = startEtcd(certs, false);
        etcdctl(endpoint, certs, "--interactive=false", "user", "add", "root:s3cret-pass");
        etcdctl(endpoint, certs, "auth", "enable");

        EtcdProperties withPassword = new EtcdProperties(List.of(endpoint), null, null, certs.ca(), null, null,
                "root", "s3cret-pass");
        EtcdProperties wrongPassword = new EtcdProperties(List.of(endpoint), null, null, certs.ca(), null, null,
                "root", "guessed");
        EtcdProperties anonymous = new EtcdProperties(List.of(endpoint), null, null, certs.ca(), null, null, null,
                null);

        try (Client client = withPassword.clientBuilder().build()) {
            client.getKVClient().put(KEY, VALUE).get(10, TimeUnit.SECONDS);
        }
        for (EtcdProperties refused : List.of(wrongPassword, anonymous)) {
            try (Client client = refused.clientBuilder().build()) {
                assertThatThrownBy(() -> client.getKVClient().get(KEY).get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasMessageFindingMatch("UNAUTHENTICATED|user name is empty");
            }
        }
    }

    @Test
    void settingsThatCannotWorkAreRefusedAtStartUp() {
        assertThatThrownBy(() -> EtcdProperties.plain(List.of("https://127.0.0.1:2379"), null, null))
                .hasMessageContaining("tls-ca-file");
        assertThatThrownBy(() -> new EtcdProperties(null, null, null, dir.resolve("ca.crt"), dir.resolve("c.crt"),
                null, null, null)).hasMessageContaining("go together");
        assertThatThrownBy(() -> new EtcdProperties(null, null, null, null, null, null, "root", null))
                .hasMessageContaining("go together");
        assertThat(new EtcdProperties(null, null, null, null, null, null, "root", "pw").toString())
                .doesNotContain("pw");
    }

    private String startEtcd(Certificates certs, boolean clientCertAuth) throws Exception {
        int client = freePort();
        int peer = freePort();
        String endpoint = "https://127.0.0.1:" + client;
        List<String> command = new ArrayList<>(List.of("etcd", "--name", "tls", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
                "--listen-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "tls=http://127.0.0.1:" + peer,
                "--cert-file", certs.serverCert().toString(), "--key-file", certs.serverKey().toString(),
                "--log-level", "warn"));
        if (clientCertAuth) {
            // etcd checks client certificates against this CA and then requires them.
            command.addAll(List.of("--trusted-ca-file", certs.ca().toString(), "--client-cert-auth"));
        }
        Process etcd = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        processes.add(etcd);
        for (int i = 0; i < 200; i++) {
            if (run(List.of("etcdctl", "--endpoints", endpoint, "--cacert", certs.ca().toString(), "--cert",
                    certs.clientCert().toString(), "--key", certs.clientKey().toString(), "endpoint", "health")) == 0) {
                return endpoint;
            }
            assertThat(etcd.isAlive()).as("etcd is running, see " + dir.resolve("etcd.log")).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("etcd over TLS did not become healthy, see " + dir.resolve("etcd.log"));
    }

    private void etcdctl(String endpoint, Certificates certs, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("etcdctl", "--endpoints", endpoint, "--cacert",
                certs.ca().toString()));
        line.addAll(List.of(command));
        assertThat(run(line)).as(String.join(" ", line)).isZero();
    }

    private int run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("commands.log").toFile())).start();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A CA, a server certificate for 127.0.0.1 and a client certificate it signed, EC P-256, PKCS#8 keys. */
    private record Certificates(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {

        static Certificates make(Path dir) throws Exception {
            Path ca = dir.resolve("ca.crt");
            Path caKey = dir.resolve("ca.key");
            openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", caKey.toString(), "-out", ca.toString(), "-subj", "/CN=hybridstore-test-ca",
                    "-days", "2");
            Path server = signed(dir, "server", "/CN=127.0.0.1",
                    "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
            Path client = signed(dir, "client", "/CN=hybridstore-test-client", "extendedKeyUsage=clientAuth\n");
            return new Certificates(ca, server, dir.resolve("server.key"), client, dir.resolve("client.key"));
        }

        private static Path signed(Path dir, String name, String subject, String extensions) throws Exception {
            Path key = dir.resolve(name + ".key");
            Path request = dir.resolve(name + ".csr");
            Path cert = dir.resolve(name + ".crt");
            Path ext = dir.resolve(name + ".ext");
            Files.writeString(ext, extensions);
            openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key.toString(), "-out", request.toString(), "-subj", subject);
            openssl(dir, "x509", "-req", "-in", request.toString(), "-CA", dir.resolve("ca.crt").toString(),
                    "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial", "-out", cert.toString(),
                    "-days", "2", "-extfile", ext.toString());
            return cert;
        }

        private static void openssl(Path dir, String... arguments) throws Exception {
            List<String> command = new ArrayList<>(List.of("openssl"));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("openssl.log").toFile())).start();
            assertThat(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0)
                    .as(String.join(" ", command) + ", see " + dir.resolve("openssl.log")).isTrue();
        }
    }
}
