package io.hybridstore.benchmark.measure;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time used so far by every process of each service, from {@code /proc/<pid>/stat}. A service's processes are
 * those whose process group is one of its instances' groups (every instance leads its own group, so nginx's workers
 * and anything else an instance forks are counted with it). Fields 14 and 15 of the stat line are the process's
 * user and system time in clock ticks, summed over all its threads.
 */
public final class ProcCpu {

    /** A service's user and system time, in clock ticks. */
    public record Ticks(long user, long system) {
        Ticks plus(Ticks other) {
            return new Ticks(user + other.user, system + other.system);
        }
    }

    private ProcCpu() {
    }

    /** @param serviceOfGroup process group id to service name */
    public static Map<String, Ticks> read(Path proc, Map<Long, String> serviceOfGroup) throws IOException {
        Map<String, Ticks> byService = new TreeMap<>();
        for (String service : serviceOfGroup.values()) {
            byService.put(service, new Ticks(0, 0));
        }
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path pid : pids) {
                String line;
                try {
                    line = Files.readString(pid.resolve("stat"));
                } catch (NoSuchFileException exited) {
                    continue;
                }
                Stat stat = parse(line);
                String service = serviceOfGroup.get(stat.group());
                if (service != null) {
                    byService.merge(service, stat.ticks(), Ticks::plus);
                }
            }
        }
        return byService;
    }

    private record Stat(long group, Ticks ticks) {
    }

    /**
     * The command name (field 2) is in parentheses and may itself contain spaces and parentheses, so the fields are
     * counted from the last ')': after it come field 3 (state), 4 (ppid), 5 (pgrp), ... 14 (utime), 15 (stime).
     */
    private static Stat parse(String line) {
        String[] rest = line.substring(line.lastIndexOf(')') + 2).trim().split(" +");
        return new Stat(Long.parseLong(rest[5 - 3]), new Ticks(Long.parseLong(rest[14 - 3]), Long.parseLong(rest[15 - 3])));
    }
}
