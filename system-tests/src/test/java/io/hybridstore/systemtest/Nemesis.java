package io.hybridstore.systemtest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Injects faults into the real cluster on a schedule tied to the clients' progress: fault i of S is injected once
 * i/(S+1) of the operations have been issued, and clients wait for it before going further, so every fault hits
 * the cluster under load however fast or slow the machine is. Each fault is healed (the process restarted,
 * resumed or started again) before the next; never more than two storage nodes are down at once.
 */
final class Nemesis {

    static final String NODE_KILL = "storage node kill -9";
    static final String NODE_PAUSE = "storage node paused (SIGSTOP)";
    static final String GATEWAY_KILL = "gateway kill -9";
    static final String HEALER_KILL = "leader healer kill -9";
    static final String ETCD_STOP = "etcd member stopped";
    static final String KAFKA_STOP = "Kafka broker stopped";

    private record Step(String name, Runnable action) {
    }

    private final HealerTestCluster cluster;
    private final ReliabilitySettings settings;
    private final History history;
    private final Random random;
    private final Map<String, Integer> injected = new LinkedHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private volatile int permitted;
    private volatile Instant lastHealed = Instant.now();

    Nemesis(HealerTestCluster cluster, ReliabilitySettings settings, History history) {
        this.cluster = cluster;
        this.settings = settings;
        this.history = history;
        this.random = new Random(settings.seed() ^ 0x5eed);
        for (String kind : List.of(NODE_KILL, NODE_PAUSE, GATEWAY_KILL, HEALER_KILL, ETCD_STOP, KAFKA_STOP)) {
            injected.put(kind, 0);
        }
        permitted = threshold(0);
    }

    private List<Step> schedule() {
        List<Step> steps = new ArrayList<>();
        for (int round = 0; round < settings.rounds(); round++) {
            steps.add(new Step("two storage nodes killed", this::killTwoStorageNodes));
            steps.add(new Step("storage node paused", this::pauseStorageNode));
            steps.add(new Step("gateway killed", this::killGateway));
            steps.add(new Step("leader healer killed", this::killLeaderHealer));
            steps.add(new Step("etcd member stopped", this::stopEtcdMember));
            steps.add(new Step("Kafka stopped", this::stopKafka));
            steps.add(new Step("storage node killed and restarted at once", this::killAndRestartStorageNode));
        }
        return steps;
    }

    private int stepCount() {
        return 7 * settings.rounds();
    }

    private int threshold(int step) {
        return step >= stepCount() ? Integer.MAX_VALUE : (int) ((long) (step + 1) * settings.operations() / (stepCount() + 1));
    }

    /** Runs the whole schedule; returns when the last fault has been healed. */
    void run(IntSupplier issued) {
        try {
            runSchedule(issued);
        } finally {
            // Also when a fault could not be healed: the clients must not wait for a step that never comes.
            permitted = Integer.MAX_VALUE;
        }
    }

    private void runSchedule(IntSupplier issued) {
        List<Step> steps = schedule();
        for (int i = 0; i < steps.size(); i++) {
            int due = threshold(i);
            while (issued.getAsInt() < due && issued.getAsInt() < settings.operations()) {
                HealerTestCluster.sleep(50);
            }
            Step step = steps.get(i);
            Instant start = Instant.now();
            active.incrementAndGet();
            try {
                permitted = threshold(i + 1);
                step.action().run();
            } finally {
                active.decrementAndGet();
                lastHealed = Instant.now();
            }
            history.record(Map.of("fault", step.name(), "start", start.toString(), "healed", lastHealed.toString()));
        }
    }

    /** Blocks a client about to issue operation {@code n} until the fault due before it has been injected. */
    void awaitTurn(int n) {
        while (n >= permitted) {
            HealerTestCluster.sleep(50);
        }
    }

    boolean faultActive() {
        return active.get() > 0;
    }

    Instant lastHealed() {
        return lastHealed;
    }

    Map<String, Integer> injected() {
        synchronized (injected) {
            return new LinkedHashMap<>(injected);
        }
    }

    private void count(String kind) {
        synchronized (injected) {
            injected.merge(kind, 1, Integer::sum);
        }
    }

    private void hold() {
        HealerTestCluster.sleep(settings.faultHold().toMillis());
    }

    private int pickNode() {
        return 1 + random.nextInt(HealerTestCluster.NODES);
    }

    private void killTwoStorageNodes() {
        int first = pickNode();
        int second;
        do {
            second = pickNode();
        } while (second == first);
        kill("storage-node-" + first, NODE_KILL);
        HealerTestCluster.sleep(settings.faultHold().toMillis() / 2);
        kill("storage-node-" + second, NODE_KILL);
        hold();
        start("storage-node-" + first);
        start("storage-node-" + second);
    }

    private void killAndRestartStorageNode() {
        String node = "storage-node-" + pickNode();
        kill(node, NODE_KILL);
        start(node);
    }

    private void pauseStorageNode() {
        String node = "storage-node-" + pickNode();
        cluster.cluster.pause(node);
        count(NODE_PAUSE);
        try {
            hold();
        } finally {
            cluster.cluster.resume(node);
        }
    }

    private void killGateway() {
        String gateway = "gateway-" + (1 + random.nextInt(3));
        kill(gateway, GATEWAY_KILL);
        hold();
        start(gateway);
    }

    private void killLeaderHealer() {
        String healer = "healer-" + cluster.leader();
        kill(healer, HEALER_KILL);
        hold();
        start(healer);
    }

    private void stopEtcdMember() {
        String member = "etcd-" + (1 + random.nextInt(3));
        cluster.cluster.stop(member);
        count(ETCD_STOP);
        hold();
        start(member);
    }

    private void stopKafka() {
        cluster.cluster.stop("kafka-1");
        count(KAFKA_STOP);
        hold();
        start("kafka-1");
    }

    /**
     * Starts a service again, retrying for a few seconds: a process just killed can hold its port until the kernel
     * has reaped it, and cluster.sh refuses a port it did not see freed.
     */
    private void start(String service) {
        for (int attempt = 1; ; attempt++) {
            try {
                cluster.cluster.start(service);
                return;
            } catch (IllegalStateException refused) {
                if (attempt == 5) {
                    throw refused;
                }
                history.record(Map.of("fault", "restart refused, retrying", "target", service,
                        "error", String.valueOf(refused.getMessage()).lines().filter(l -> l.contains("error")).findFirst().orElse("")));
                HealerTestCluster.sleep(2000);
            }
        }
    }

    private void kill(String service, String kind) {
        cluster.cluster.kill(service);
        count(kind);
        history.record(Map.of("fault", kind, "target", service, "at", Instant.now().toString()));
    }

    static Duration since(Instant instant) {
        return Duration.between(instant, Instant.now());
    }
}
