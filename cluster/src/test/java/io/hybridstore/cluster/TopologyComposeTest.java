package io.hybridstore.cluster;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yaml and nginx.conf describe the topology a second time, for containers; this holds them to
 * topology.properties, so that neither can drift from what the launcher runs. Inside the compose network every
 * instance has its own host name, so ports are compared without the local run's offset.
 */
class TopologyComposeTest {

    private static final Path REPO = Path.of(System.getProperty("hybridstore.repo", "..")).toAbsolutePath().normalize();
    /** The log in compose is Redpanda, and a one-shot container sets it up; neither is a service of the launcher. */
    private static final Set<String> COMPOSE_ONLY = Set.of("redpanda", "redpanda-config");

    private final Topology topology = Topology.defaults();
    private final Map<String, Map<String, Object>> services = composeServices();

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> composeServices() {
        try (Reader in = Files.newBufferedReader(REPO.resolve("docker-compose.yaml"))) {
            Map<String, Object> compose = new Yaml().load(in);
            return (Map<String, Map<String, Object>>) compose.get("services");
        } catch (IOException e) {
            throw new AssertionError("cannot read docker-compose.yaml", e);
        }
    }

    @Test
    void composeRunsTheSameServicesAndCounts() {
        Set<String> expected = new TreeSet<>(COMPOSE_ONLY);
        for (Instance instance : topology.instances()) {
            switch (instance.service().name()) {
                case Topology.KAFKA -> { }
                case Topology.NGINX -> expected.add(Topology.NGINX);
                default -> expected.add(instance.name());
            }
        }
        // compose runs the three-member etcd that `up --etcd-members 3` runs locally
        for (int i = 1; i <= 3; i++) {
            expected.add("etcd-" + i);
        }
        assertThat(new TreeSet<>(services.keySet())).isEqualTo(expected);
    }

    @Test
    void javaServicesListenOnTheirTopologyPortsWithTheirHeapsAndFlags() {
        for (String service : List.of(Topology.STORAGE_NODE, Topology.GATEWAY, Topology.HEALER)) {
            for (Instance instance : topology.instancesOf(service)) {
                int port = instance.service().basePort(instance.index());
                Map<String, Object> env = environment(instance.name());
                assertThat(env.get("SERVER_PORT")).as("%s SERVER_PORT", instance).hasToString(Integer.toString(port));
                assertThat(env.get("HYBRIDSTORE_INTERNAL_AUTH_SECRETS")).as("%s cluster secret", instance)
                        .hasToString("${HYBRIDSTORE_CLUSTER_SECRET:?set HYBRIDSTORE_CLUSTER_SECRET in .env, see the README}");
                List<String> javaOpts = List.of(env.get("JAVA_OPTS").toString().split("\\s+"));
                assertThat(javaOpts).as("%s JAVA_OPTS", instance).contains("-Xmx" + instance.service().heap())
                        .containsAll(topology.javaOpts()).containsAll(instance.service().javaOpts());
                assertThat(env.get("HYBRIDSTORE_ETCD_ENDPOINTS")).as("%s etcd endpoints", instance)
                        .hasToString(composeEtcdEndpoints());
            }
        }
        for (Instance node : topology.instancesOf(Topology.STORAGE_NODE)) {
            assertThat(environment(node.name())).containsEntry("HYBRIDSTORE_STORAGE_NODE_NODE_ID", node.name())
                    .containsEntry("HYBRIDSTORE_STORAGE_NODE_ADVERTISED_URL",
                            "http://" + node.name() + ":" + node.service().basePort(node.index()))
                    .containsEntry("HYBRIDSTORE_STORAGE_NODE_WIRE_PORT",
                            Integer.toString(node.service().basePort(node.index()) + node.service().secondPort()));
        }
        for (Instance gateway : topology.instancesOf(Topology.GATEWAY)) {
            assertThat(environment(gateway.name())).containsEntry("HYBRIDSTORE_GATEWAY_ID", gateway.name())
                    .containsEntry("HYBRIDSTORE_S3_PORT",
                            Integer.toString(gateway.service().basePort(gateway.index()) + gateway.service().secondPort()));
        }
        for (Instance healer : topology.instancesOf(Topology.HEALER)) {
            assertThat(environment(healer.name())).containsEntry("HYBRIDSTORE_HEALER_ID", healer.name());
        }
    }

    /** Only nginx is reachable from outside the compose network; everything behind it trusts its peers alone. */
    @Test
    void onlyNginxPublishesPorts() {
        for (String service : services.keySet()) {
            if (!service.equals(Topology.NGINX)) {
                assertThat(services.get(service)).as("%s publishes no port", service).doesNotContainKey("ports");
            }
        }
    }

    @Test
    void etcdAndTheLogListenOnTheirTopologyPorts() {
        Instance first = topology.instance(Topology.ETCD, 1);
        int client = first.service().basePort(1);
        int peer = client + first.service().secondPort();
        for (int i = 1; i <= 3; i++) {
            @SuppressWarnings("unchecked")
            List<String> command = (List<String>) services.get("etcd-" + i).get("command");
            assertThat(command).contains("--listen-client-urls=http://0.0.0.0:" + client,
                    "--listen-peer-urls=http://0.0.0.0:" + peer,
                    "--initial-advertise-peer-urls=http://etcd-" + i + ":" + peer);
        }
        int kafka = topology.instance(Topology.KAFKA, 1).service().basePort(1);
        for (Instance instance : topology.instances()) {
            if (instance.service().name().equals(Topology.GATEWAY) || instance.service().name().equals(Topology.HEALER)) {
                assertThat(environment(instance.name())).containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "redpanda:" + kafka);
            }
        }
        @SuppressWarnings("unchecked")
        List<String> redpanda = (List<String>) services.get("redpanda").get("command");
        assertThat(redpanda).anyMatch(arg -> arg.startsWith("--kafka-addr=internal://0.0.0.0:" + kafka + ","));
    }

    @Test
    void nginxConfUpstreamsAndListenAgreeWithTheTopology() throws IOException {
        List<String> conf = Files.readAllLines(REPO.resolve("nginx.conf"));
        Instance nginx = topology.instance(Topology.NGINX, 1);
        int listen = nginx.service().basePort(1);
        int s3 = listen + nginx.service().secondPort();
        assertThat(ports(Topology.NGINX)).containsExactly(listen + ":" + listen, s3 + ":" + s3);
        assertThat(conf).anyMatch(line -> line.strip().startsWith("listen " + listen + ";"))
                .anyMatch(line -> line.strip().startsWith("listen " + s3 + ";"));
        List<String> nativeGateways = topology.instancesOf(Topology.GATEWAY).stream()
                .map(g -> g.name() + ":" + g.service().basePort(g.index())).toList();
        List<String> s3Gateways = topology.instancesOf(Topology.GATEWAY).stream()
                .map(g -> g.name() + ":" + (g.service().basePort(g.index()) + g.service().secondPort())).toList();
        // The native API's upstream, the S3 API's, and the native API's for writes (by key).
        assertThat(upstreams(conf, "server (\\S+) ")).isEqualTo(concat(nativeGateways, s3Gateways, nativeGateways));

        Topology offset = Topology.load(Map.of("HS_PORT_OFFSET", "13000"));
        RunDir runDir = new RunDir(Path.of("/tmp/run"));
        List<String> local = NginxConfig.render(conf, offset, runDir, offset.instance(Topology.NGINX, 1));
        List<String> localNative = offset.instancesOf(Topology.GATEWAY).stream()
                .map(g -> "127.0.0.1:" + offset.port(g)).toList();
        assertThat(upstreams(local, "server (\\S+) ")).isEqualTo(concat(localNative,
                offset.instancesOf(Topology.GATEWAY).stream().map(g -> "127.0.0.1:" + offset.secondPort(g)).toList(),
                localNative));
        assertThat(local).anyMatch(line -> line.strip().equals("listen 127.0.0.1:" + (listen + 13000) + ";"))
                .anyMatch(line -> line.strip().equals("listen 127.0.0.1:" + (s3 + 13000) + ";"))
                .anyMatch(line -> line.strip().equals("client_body_temp_path /tmp/run/data/nginx-1/client_body;"))
                .noneMatch(line -> line.matches(".*# local: [a-z0-9_]+.*"));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    private static List<String> upstreams(List<String> conf, String pattern) {
        Pattern server = Pattern.compile("^\\s*" + pattern);
        List<String> found = new ArrayList<>();
        for (String line : conf) {
            Matcher m = server.matcher(line);
            if (m.find()) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    private String composeEtcdEndpoints() {
        int client = topology.instance(Topology.ETCD, 1).service().basePort(1);
        return java.util.stream.IntStream.rangeClosed(1, 3).mapToObj(i -> "http://etcd-" + i + ":" + client)
                .collect(Collectors.joining(","));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> environment(String service) {
        assertThat(services).as("compose services").containsKey(service);
        return (Map<String, Object>) services.get(service).get("environment");
    }

    @SuppressWarnings("unchecked")
    private List<String> ports(String service) {
        return ((List<Object>) services.get(service).get("ports")).stream().map(Object::toString).toList();
    }
}
