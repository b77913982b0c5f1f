package io.flightcontroller.benchmark;

import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.pipeline.PipelineOptions;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The same matching in Esper ({@link EsperMatcher}) on identical input, in this thread: from the JSON file through the
 * job's {@code EventParser}, or from the generator's events (no JSON); and the generator's own cost, which both
 * pre-parsed runs (Esper's and the job's) include.
 *
 * <p>Shape: p=1; events/s = lines / wall time of feeding them and the final clock advance; the notes carry Esper's
 * matches and timeouts. A ratio row is the job's events/s over Esper's, with the CPU-per-event ratio in its notes.
 */
final class EsperScenario {
    private final long cases;
    private final long seed;

    /**
     * @param cases cases of the generator (pre-parsed run and generator-only row)
     * @param seed generator seed
     */
    EsperScenario(long cases, long seed) {
        this.cases = cases;
        this.seed = seed;
    }

    /**
     * @param fromJson true: read {@code file} through the parser; false: feed the generator's events
     * @param file the JSON Lines workload
     * @return the row
     * @throws Exception when Esper fails or the file cannot be read
     */
    Row run(boolean fromJson, Path file) throws Exception {
        Row row = new Row();
        row.scenario = fromJson ? "Esper, JSON via EventParser" : "Esper, pre-parsed";
        row.parallelism = "1";
        row.input = fromJson ? "1 JSON file" : "generator (no JSON)";
        EventParser parser = new EventParser();
        long n = 0;
        Meter m;
        try (EsperMatcher e = new EsperMatcher(PipelineOptions.DEFAULT_OUT_OF_ORDERNESS.toMillis())) {
            m = new Meter();
            if (fromJson) {
                try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        n++;
                        ParsedRecord pr = parser.parse(l);
                        if (pr.isEvent()) {
                            e.send(pr.getEvent());
                        }
                    }
                }
            } else {
                WorkloadGenerator g = new WorkloadGenerator(
                        new WorkloadGenerator.Settings().cases(cases).seed(seed), true);
                while (g.hasNext()) {
                    WorkloadGenerator.Line l = g.next();
                    n++;
                    if (l.event != null) {
                        e.send(l.event);
                    } else {
                        parser.parse(l.json);
                    }
                }
            }
            e.finish();
            row.notes = "matched " + e.matched + ", timed_out " + e.timedOut;
            m.finish(row, n);
        }
        System.out.println("  " + row.scenario + ": " + Report.fmt(row.eventsPerS) + " events/s; " + row.notes);
        return row;
    }

    /**
     * Esper on the JSON lines generated in this process, no file: the lines {@link StreamedJsonSource} yields at one
     * shard, each parsed exactly as that source parses it ({@link StreamedJsonSource#parse}), the generator's cost
     * included as in the job's streamed rows.
     *
     * @param streamedCases cases of the workload (seed: this scenario's)
     * @param report whether to print a progress line
     * @return the row; events = lines
     * @throws Exception when Esper fails
     */
    Row runStreamed(long streamedCases, boolean report) throws Exception {
        Row row = new Row();
        row.scenario = "Esper, streamed JSON via EventParser, " + streamedCases + " cases";
        row.parallelism = "1";
        row.input = "1 streamed JSON shard";
        EventParser parser = new EventParser();
        long n = 0;
        try (EsperMatcher e = new EsperMatcher(PipelineOptions.DEFAULT_OUT_OF_ORDERNESS.toMillis())) {
            Meter m = new Meter();
            StreamedJsonSource.Lines lines = new StreamedJsonSource.Lines(streamedCases, seed, 0, 1);
            while (lines.hasNext()) {
                n++;
                ParsedRecord pr = StreamedJsonSource.parse(parser, lines.next());
                if (pr != null && pr.isEvent()) {
                    e.send(pr.getEvent());
                }
            }
            e.finish();
            row.notes = "matched " + e.matched + ", timed_out " + e.timedOut;
            m.finish(row, n);
        }
        if (report) {
            System.out.println("  " + row.scenario + ": " + Report.fmt(row.eventsPerS) + " events/s; " + row.notes);
        }
        return row;
    }

    /** @return the row of the generator alone, at the throughput workload's size */
    Row generatorOnly() {
        Meter m = new Meter();
        WorkloadGenerator g = new WorkloadGenerator(
                new WorkloadGenerator.Settings().cases(cases).seed(seed), true);
        long n = 0;
        while (g.hasNext()) {
            if (g.next() != null) {
                n++;
            }
        }
        Row r = new Row();
        r.scenario = "generator only (in both pre-parsed runs)";
        r.parallelism = "1";
        r.input = "generator";
        return m.finish(r, n);
    }

    /**
     * @param name scenario name of the row
     * @param fc the job's row
     * @param esper Esper's row on the same input
     * @return the ratio row: value = the job's events/s / Esper's
     */
    static Row ratio(String name, Row fc, Row esper) {
        Row r = new Row();
        r.scenario = name;
        r.eventsPerS = fc.eventsPerS / esper.eventsPerS;
        r.notes = String.format(
                Locale.ROOT,
                "FC %s / Esper %s events/s; CPU per event FC/Esper %.2f",
                Report.fmt(fc.eventsPerS),
                Report.fmt(esper.eventsPerS),
                fc.cpuUsPerEvent / esper.cpuUsPerEvent);
        r.wallS = Double.NaN;
        return r;
    }
}
