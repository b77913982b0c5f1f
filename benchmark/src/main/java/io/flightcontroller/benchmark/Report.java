package io.flightcontroller.benchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's one report: collects {@link Row}s in the order they were measured and writes them as a table and as
 * CSV.
 *
 * <p>Shape: CSV columns {@link #CSV_HEADER}, one line per row, every line carrying the core count, case count and seed
 * of the invocation; text fields quoted (RFC 4180 doubling of quotes), numbers with 3 decimals and {@code .} as the
 * separator, empty when not measured. The table shows numbers of 100 or more as whole numbers with thousands
 * separators, smaller ones with 2 decimals.
 */
final class Report {
    /** Header line of the CSV. */
    static final String CSV_HEADER = "cores,cases,seed,scenario,parallelism,input,events,wall_s,events_per_s_or_value,"
            + "cpu_us_per_event,peak_heap_mib,load_1m,notes";

    private final int cores;
    private final long cases;
    private final long seed;
    private final List<Row> rows = new ArrayList<>();

    /**
     * @param cores available processors
     * @param cases cases of the throughput workload
     * @param seed workload seed
     */
    Report(int cores, long cases, long seed) {
        this.cores = cores;
        this.cases = cases;
        this.seed = seed;
    }

    /** @param row the next row */
    void add(Row row) {
        rows.add(row);
    }

    /** @param more the next rows, in order */
    void addAll(List<Row> more) {
        rows.addAll(more);
    }

    /** @return the rows so far, in order */
    List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** @param out where the table goes */
    void print(PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "Flight Controller benchmark: %d cores, %d cases, seed %d%n", cores, cases, seed);
        String f = "%-46s %3s %-24s %11s %8s %14s %9s %9s %7s  %s%n";
        out.printf(
                Locale.ROOT,
                f,
                "scenario",
                "p",
                "input",
                "events",
                "wall s",
                "events/s|value",
                "CPU us/ev",
                "peak MiB",
                "load 1m",
                "notes");
        for (Row r : rows) {
            out.printf(
                    Locale.ROOT,
                    f,
                    r.scenario,
                    r.parallelism,
                    r.input,
                    r.events == 0 ? "" : r.events,
                    fmt(r.wallS),
                    fmt(r.eventsPerS),
                    fmt(r.cpuUsPerEvent),
                    fmt(r.peakHeapMiB),
                    fmt(r.load1m),
                    r.notes);
        }
    }

    /**
     * @param csv the CSV file (its folder is created)
     * @throws IOException when it cannot be written
     */
    void writeCsv(Path csv) throws IOException {
        if (csv.getParent() != null) {
            Files.createDirectories(csv.getParent());
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            w.println(CSV_HEADER);
            for (Row r : rows) {
                w.println(String.join(
                        ",",
                        String.valueOf(cores),
                        String.valueOf(cases),
                        String.valueOf(seed),
                        q(r.scenario),
                        r.parallelism,
                        q(r.input),
                        String.valueOf(r.events),
                        num(r.wallS),
                        num(r.eventsPerS),
                        num(r.cpuUsPerEvent),
                        num(r.peakHeapMiB),
                        num(r.load1m),
                        q(r.notes)));
            }
        }
    }

    /**
     * @param v a value
     * @return the table's form of it: empty for NaN, {@code 12,345} from 100 on, else {@code 12.35}
     */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String q(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
