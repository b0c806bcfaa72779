package io.hybridstore.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The cluster's services, instance counts, ports, heaps and JVM flags: {@code topology.properties} with the HS_*
 * overrides of the environment (HS_PORT_OFFSET, HS_STORAGE_NODES, HS_GATEWAYS, HS_HEALERS, HS_ETCD_MEMBERS,
 * HS_HEAP_<SERVICE>, HS_JAVA_OPTS_EXTRA) applied.
 */
public final class Topology {

    public static final String ETCD = "etcd";
    public static final String KAFKA = "kafka";
    public static final String STORAGE_NODE = "storage-node";
    public static final String GATEWAY = "gateway";
    public static final String HEALER = "healer";
    public static final String NGINX = "nginx";

    private final Map<String, Service> services;
    private final List<List<String>> startWaves;
    private final List<List<String>> stopWaves;
    private final List<String> javaOpts;
    private final int portOffset;
    private final Map<String, String> settings;

    private Topology(Map<String, Service> services, List<List<String>> startWaves, List<List<String>> stopWaves,
                     List<String> javaOpts, int portOffset, Map<String, String> settings) {
        this.settings = settings;
        this.services = services;
        this.startWaves = startWaves;
        this.stopWaves = stopWaves;
        this.javaOpts = javaOpts;
        this.portOffset = portOffset;
    }

    /** The file as written, no environment applied: what docker-compose.yaml must agree with. */
    public static Topology defaults() {
        return load(Map.of());
    }

    public static Topology load(Map<String, String> env) {
        Properties file = new Properties();
        try (InputStream in = Topology.class.getResourceAsStream("topology.properties")) {
            file.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read topology.properties", e);
        }
        List<List<String>> startWaves = waves(file.getProperty("start-waves"));
        Map<String, Service> services = new LinkedHashMap<>();
        for (List<String> wave : startWaves) {
            for (String name : wave) {
                services.put(name, service(name, file, env));
            }
        }
        for (Service service : List.copyOf(services.values())) {
            if (service.fronts() != null && services.get(service.fronts()).count() == 0) {
                services.put(service.name(), withCount(service, 0));
            }
        }
        List<String> javaOpts = new ArrayList<>(words(file.getProperty("java-opts")));
        javaOpts.addAll(words(env.get("HS_JAVA_OPTS_EXTRA")));
        int portOffset = number(env, "HS_PORT_OFFSET", "0");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("HS_PORT_OFFSET", Integer.toString(portOffset));
        for (Service service : services.values()) {
            String countVariable = file.getProperty(service.name() + ".count-env");
            if (countVariable != null) {
                settings.put(countVariable, Integer.toString(service.count()));
            }
            if (service.heap() != null) {
                settings.put(service.heapVariable(), service.heap());
            }
        }
        settings.put("HS_JAVA_OPTS_EXTRA", env.getOrDefault("HS_JAVA_OPTS_EXTRA", ""));
        return new Topology(services, startWaves, waves(file.getProperty("stop-waves")), List.copyOf(javaOpts),
                portOffset, Map.copyOf(settings));
    }

    private static Service service(String name, Properties file, Map<String, String> env) {
        String countVariable = file.getProperty(name + ".count-env");
        int count = Integer.parseInt(file.getProperty(name + ".count"));
        if (countVariable != null) {
            count = number(env, countVariable, Integer.toString(count));
        }
        String allowed = file.getProperty(name + ".allowed-counts");
        if (allowed != null && !words(allowed.replace(',', ' ')).contains(Integer.toString(count))) {
            throw new IllegalArgumentException(countVariable + " must be one of " + allowed + ", not " + count);
        }
        Service service = new Service(name, count, Integer.parseInt(file.getProperty(name + ".port")),
                Integer.parseInt(file.getProperty(name + ".port-step", "0")),
                Integer.parseInt(file.getProperty(name + ".second-port", "0")),
                file.getProperty(name + ".module"), null, words(file.getProperty(name + ".java-opts")),
                file.getProperty(name + ".fronts"));
        String heap = file.getProperty(name + ".heap");
        if (heap != null) {
            heap = env.getOrDefault(service.heapVariable(), heap);
        }
        return new Service(name, count, service.port(), service.portStep(), service.secondPort(), service.module(),
                heap, service.javaOpts(), service.fronts());
    }

    private static Service withCount(Service s, int count) {
        return new Service(s.name(), count, s.port(), s.portStep(), s.secondPort(), s.module(), s.heap(), s.javaOpts(),
                s.fronts());
    }

    private static int number(Map<String, String> env, String variable, String fallback) {
        String value = env.getOrDefault(variable, fallback);
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a number >= 0, not '" + value + "'");
        }
    }

    private static List<List<String>> waves(String spec) {
        return Arrays.stream(spec.split("\\|")).map(Topology::words).toList();
    }

    private static List<String> words(String spec) {
        return spec == null || spec.isBlank() ? List.of() : List.of(spec.trim().split("\\s+"));
    }

    public Service service(String name) {
        Service service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("unknown service: " + name);
        }
        return service;
    }

    public int portOffset() {
        return portOffset;
    }

    /** Flags of every Java service, HS_JAVA_OPTS_EXTRA included. */
    public List<String> javaOpts() {
        return javaOpts;
    }

    /** Every instance, in start order. */
    public List<Instance> instances() {
        return startWaves.stream().flatMap(List::stream).flatMap(name -> instancesOf(name).stream()).toList();
    }

    public List<Instance> instancesOf(String service) {
        Service s = service(service);
        List<Instance> instances = new ArrayList<>();
        for (int i = 1; i <= s.count(); i++) {
            instances.add(new Instance(s, i));
        }
        return instances;
    }

    public List<List<Instance>> startWaves() {
        return instancesByWave(startWaves);
    }

    public List<List<Instance>> stopWaves() {
        return instancesByWave(stopWaves);
    }

    private List<List<Instance>> instancesByWave(List<List<String>> waves) {
        return waves.stream().map(w -> w.stream().flatMap(s -> instancesOf(s).stream()).toList()).toList();
    }

    public Optional<Instance> instance(String name) {
        return instances().stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public Instance instance(String service, int index) {
        return instance(service + "-" + index)
                .orElseThrow(() -> new IllegalArgumentException("no " + service + "-" + index + " in this topology"));
    }

    /** The port an instance answers on (for etcd its client port), offset included. */
    public int port(Instance instance) {
        return instance.service().basePort(instance.index()) + portOffset;
    }

    /** etcd's peer port, Kafka's controller port. */
    public int secondPort(Instance instance) {
        if (instance.service().secondPort() == 0) {
            throw new IllegalArgumentException(instance + " has no second port");
        }
        return port(instance) + instance.service().secondPort();
    }

    public String url(Instance instance) {
        return "http://127.0.0.1:" + port(instance);
    }

    public String etcdEndpoints() {
        return instancesOf(ETCD).stream().map(this::url).collect(Collectors.joining(","));
    }

    public String etcdInitialCluster() {
        return instancesOf(ETCD).stream().map(i -> i.name() + "=http://127.0.0.1:" + secondPort(i))
                .collect(Collectors.joining(","));
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + port(instance(KAFKA, 1));
    }

    /** The Maven modules whose jars this topology runs. */
    public List<String> modules() {
        return services.values().stream().filter(s -> s.isJava() && s.count() > 0).map(Service::module).toList();
    }

    /** The HS_* values this topology was made with: what a later command on the same run dir must see again. */
    Map<String, String> settings() {
        return settings;
    }
}
