package io.hybridstore.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the reliability suite proved, as a table a person reads in a CI log: each phase adds its figures, and the
 * figures that must be 0 are marked so that a non-zero one stands out. Printed and written to a Markdown file.
 */
final class Scorecard {

    private record Line(String section, String figure, String value, boolean mustBeZero, boolean zero) {
    }

    private final List<Line> lines = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    synchronized void add(String section, String figure, Object value) {
        lines.add(new Line(section, figure, String.valueOf(value), false, true));
    }

    /** A figure the suite fails on unless it is 0. */
    synchronized void mustBeZero(String section, String figure, long value) {
        lines.add(new Line(section, figure, Long.toString(value), true, value == 0));
    }

    synchronized void note(String text) {
        notes.add(text);
    }

    synchronized String render() {
        StringBuilder out = new StringBuilder("## HybridStore reliability scorecard\n\n");
        out.append("| phase | figure | value | |\n| --- | --- | ---: | --- |\n");
        for (Line line : lines) {
            String mark = !line.mustBeZero() ? "" : line.zero() ? "must be 0: ok" : "**MUST BE 0: FAILED**";
            out.append("| ").append(line.section()).append(" | ").append(line.mustBeZero() ? "**" + line.figure() + "**" : line.figure())
                    .append(" | ").append(line.value()).append(" | ").append(mark).append(" |\n");
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(note -> out.append("- ").append(note).append('\n'));
        }
        return out.toString();
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, render());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
