package io.hybridstore.benchmark.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A /proc directory with the stat files of made-up processes. */
final class FakeProc {

    private FakeProc() {
    }

    static void process(Path proc, long pid, String command, long group, long userTicks, long systemTicks)
            throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("stat"), pid + " (" + command + ") S 1 " + group + " " + group
                + " 0 -1 4194560 1200 0 3 0 " + userTicks + " " + systemTicks + " 0 0 20 0 31 0 4711 1000000 2500\n");
    }
}
