package io.hybridstore.benchmark.measure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProcCpuTest {

    @TempDir
    Path proc;

    @Test
    void sumsUserAndSystemTicksOverEveryProcessOfEachServicesGroups() throws Exception {
        FakeProc.process(proc, 100, "java", 100, 500, 70);
        FakeProc.process(proc, 200, "java", 200, 300, 30);
        FakeProc.process(proc, 300, "nginx", 300, 10, 20);
        FakeProc.process(proc, 301, "nginx", 300, 4, 6);
        FakeProc.process(proc, 999, "bash", 999, 12345, 678);
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("uptime"), "1.0 2.0\n");

        Map<String, ProcCpu.Ticks> ticks = ProcCpu.read(proc, Map.of(100L, "gateway", 200L, "gateway", 300L, "nginx"));

        assertThat(ticks).containsOnly(
                Map.entry("gateway", new ProcCpu.Ticks(800, 100)),
                Map.entry("nginx", new ProcCpu.Ticks(14, 26)));
    }

    @Test
    void readsTheFieldsAfterACommandNameWithSpacesAndParentheses() throws Exception {
        FakeProc.process(proc, 42, "nginx: worker (1) x", 42, 7, 3);

        assertThat(ProcCpu.read(proc, Map.of(42L, "nginx"))).containsEntry("nginx", new ProcCpu.Ticks(7, 3));
    }

    @Test
    void aServiceWithoutRunningProcessesHasZeroTicks() throws Exception {
        assertThat(ProcCpu.read(proc, Map.of(7L, "healer"))).containsEntry("healer", new ProcCpu.Ticks(0, 0));
    }
}
