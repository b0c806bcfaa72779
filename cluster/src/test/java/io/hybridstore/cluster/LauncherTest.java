package io.hybridstore.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The launcher on a real process: one etcd member, on ports no cluster of the project uses. */
class LauncherTest {

    private static final String OFFSET = "27500";

    @TempDir
    Path runDirPath;

    private final Topology topology = Topology.load(Map.of("HS_PORT_OFFSET", OFFSET));
    private final Instance etcd = topology.instance(Topology.ETCD, 1);
    private Launcher launcher;

    private Launcher launcher() {
        return new Launcher(Path.of(".."), new RunDir(runDirPath), topology, Map.of(), Duration.ofSeconds(60),
                Duration.ofSeconds(10), line -> { });
    }

    @AfterEach
    void stopEverything() {
        if (launcher != null) {
            launcher.stop(List.of(etcd));
        }
    }

    private void assumeEtcd() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/etcd")), "etcd is installed (scripts/cluster.sh deps)");
        assumeFalse(Health.portInUse(topology.port(etcd)), "port " + topology.port(etcd) + " is free");
    }

    @Test
    void aPidFileThatNamesSomeOtherProcessIsNotOurs() throws Exception {
        launcher = launcher();
        Files.createDirectories(runDirPath.resolve("pids"));
        Files.writeString(new RunDir(runDirPath).pidFile(etcd), ProcessHandle.current().pid() + "\n");
        assertThat(launcher.running(etcd)).isEmpty();
        launcher.kill(etcd);
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void killPauseResumeAndStopReachTheProcessItStarted() throws Exception {
        assumeEtcd();
        launcher = launcher();
        launcher.startAndAwait(List.of(etcd));
        long pid = launcher.running(etcd).orElseThrow().pid();
        assertThat(Files.readString(new RunDir(runDirPath).pidFile(etcd)).trim()).isEqualTo(Long.toString(pid));

        launcher.pause(etcd);
        assertThat(launcher.paused(etcd)).isTrue();
        assertThat(launcher.healthy(etcd)).isFalse();
        launcher.resume(etcd);
        assertThat(launcher.paused(etcd)).isFalse();

        launcher.kill(etcd);
        assertThat(launcher.running(etcd)).isEmpty();
        assertThat(new RunDir(runDirPath).pidFile(etcd)).doesNotExist();
        assertThat(Health.portInUse(topology.port(etcd))).isFalse();

        launcher.startAndAwait(List.of(etcd));
        assertThat(launcher.healthy(etcd)).isTrue();
        launcher.stop(List.of(etcd));
        assertThat(launcher.running(etcd)).isEmpty();
    }

    @Test
    void anotherLauncherOnTheSameRunDirFindsAndStopsWhatTheFirstStarted() throws Exception {
        assumeEtcd();
        launcher = launcher();
        launcher.startAndAwait(List.of(etcd));
        long pid = launcher.running(etcd).orElseThrow().pid();

        Launcher other = launcher();
        assertThat(other.running(etcd)).hasValueSatisfying(h -> assertThat(h.pid()).isEqualTo(pid));
        other.stop(List.of(etcd));
        assertThat(launcher.running(etcd)).isEmpty();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
