package io.hybridstore.benchmark.measure;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cost of one operation per measured run, from the {@link Snapshot}s before and after it: CPU milliseconds per
 * operation of each service (user + system), the cores the cluster kept busy meanwhile, and the requests and fsyncs per operation at each hop. The runs file
 * has one tab-separated line per run: label, before snapshot, after snapshot (both relative to the runs file's
 * directory, so a log directory can be moved and reported from) and the operations the run did.
 *
 * <pre>java -cp benchmark/target/benchmarks.jar io.hybridstore.benchmark.measure.CostReport RUNS_FILE CLK_TCK</pre>
 */
public final class CostReport {

    private static final String NOT_MEASURED = "not measured";

    private record Run(String label, Map<String, Double> before, Map<String, Double> after, long operations) {
        /** The counter's increase per operation, or null when either snapshot lacks it. */
        Double perOperation(String key) {
            Double b = before.get(key);
            Double a = after.get(key);
            return a == null || b == null || operations <= 0 ? null : (a - b) / operations;
        }
    }

    private final List<Run> runs;
    private final double ticksPerSecond;

    CostReport(Path runsFile, double ticksPerSecond) throws IOException {
        this.ticksPerSecond = ticksPerSecond;
        this.runs = new ArrayList<>();
        Path dir = runsFile.toAbsolutePath().getParent();
        for (String line : Files.readAllLines(runsFile)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            runs.add(new Run(f[0], counters(dir.resolve(f[1])), counters(dir.resolve(f[2])), Long.parseLong(f[3].strip())));
        }
    }

    public static void main(String[] args) throws IOException {
        new CostReport(Path.of(args[0]), Double.parseDouble(args[1]))
                .print(new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    void print(PrintStream out) {
        Set<String> services = new TreeSet<>();
        for (Run run : runs) {
            run.after().keySet().stream().filter(k -> k.startsWith("cpu.") && k.endsWith(".user"))
                    .map(k -> k.substring(4, k.length() - 5)).forEach(services::add);
        }
        out.println("CPU ms per operation, user + system, each service's instances together; cores used = the whole");
        out.println("cluster's CPU time over the run's wall time:");
        out.println();
        StringBuilder head = new StringBuilder("| run | operations |");
        StringBuilder rule = new StringBuilder("| --- | ---: |");
        for (String service : services) {
            head.append(' ').append(service).append(" |");
            rule.append(" ---: |");
        }
        out.println(head.append(" total | cores used |"));
        out.println(rule.append(" ---: | ---: |"));
        for (Run run : runs) {
            StringBuilder row = new StringBuilder("| " + run.label() + " | " + run.operations() + " |");
            double user = 0;
            double system = 0;
            for (String service : services) {
                Double u = run.perOperation("cpu." + service + ".user");
                Double s = run.perOperation("cpu." + service + ".system");
                if (u == null || s == null) {
                    row.append(' ').append(NOT_MEASURED).append(" |");
                    continue;
                }
                user += u;
                system += s;
                row.append(' ').append(ms(u)).append(" + ").append(ms(s)).append(" |");
            }
            Double wall = run.perOperation(Snapshot.WALL_MILLIS);
            row.append(' ').append(ms(user)).append(" + ").append(ms(system)).append(" = ").append(ms(user + system))
                    .append(" | ").append(wall == null || wall <= 0 ? NOT_MEASURED
                            : String.format(Locale.ROOT, "%.2f", 1000 * (user + system) / ticksPerSecond / wall));
            out.println(row.append(" |"));
        }
        out.println();
        out.println("Requests and fsyncs per operation at each hop:");
        out.println();
        head = new StringBuilder("| run |");
        rule = new StringBuilder("| --- |");
        for (Hop hop : Hop.ALL) {
            head.append(' ').append(hop.heading()).append(" |");
            rule.append(" ---: |");
        }
        out.println(head);
        out.println(rule);
        for (Run run : runs) {
            StringBuilder row = new StringBuilder("| " + run.label() + " |");
            for (Hop hop : Hop.ALL) {
                Double value = run.perOperation(hop.key());
                row.append(' ').append(value == null ? NOT_MEASURED : String.format(Locale.ROOT, "%.2f", value)).append(" |");
            }
            out.println(row);
        }
    }

    private String ms(double ticks) {
        return String.format(Locale.ROOT, "%.2f", 1000 * ticks / ticksPerSecond);
    }

    private static Map<String, Double> counters(Path snapshot) throws IOException {
        Map<String, Double> counters = new TreeMap<>();
        for (String line : Files.readAllLines(snapshot)) {
            String[] f = line.strip().split(" ");
            if (f.length == 2) {
                counters.put(f[0], Double.parseDouble(f[1]));
            }
        }
        return counters;
    }
}
