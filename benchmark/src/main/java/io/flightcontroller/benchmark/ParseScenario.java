package io.flightcontroller.benchmark;

import io.flightcontroller.adapters.parse.EventParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Parse only: the job's {@code EventParser} alone, as a timed loop over lines in memory and with JMH
 * ({@link ParseBenchmark}).
 *
 * <p>Shape: the timed loop reads the first 200,000 lines of the workload, parses them 3 times to warm up, then 3 timed
 * passes; events/s = lines parsed / wall time. JMH: 1 fork with {@code -Xmx1g}, 3 x 2 s warm-up, 5 x 2 s measurement,
 * 1 thread, score in ops/s with its 99.9 % error.
 */
final class ParseScenario {
    private ParseScenario() {}

    /**
     * @param file the JSON Lines workload
     * @return the timed loop's row
     * @throws IOException when the file cannot be read
     */
    static Row timedLoop(Path file) throws IOException {
        List<String> sample = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String l;
            while ((l = r.readLine()) != null && sample.size() < 200_000) {
                sample.add(l);
            }
        }
        EventParser parser = new EventParser();
        long sink = 0;
        for (int w = 0; w < 3; w++) { // warm-up passes
            for (String l : sample) {
                sink += parser.parse(l).isEvent() ? 1 : 0;
            }
        }
        Meter m = new Meter();
        long n = 0;
        for (int pass = 0; pass < 3; pass++) {
            for (String l : sample) {
                sink += parser.parse(l).isEvent() ? 1 : 0;
                n++;
            }
        }
        Row r = new Row();
        r.scenario = "parse only, timed loop";
        r.parallelism = "1";
        r.input = sample.size() + " lines in memory x3";
        m.finish(r, n);
        r.notes += "; events " + sink;
        return r;
    }

    /** @return one row per JMH result, or one row saying why JMH failed */
    static List<Row> jmh() {
        List<Row> rows = new ArrayList<>();
        try {
            Options opt = new OptionsBuilder()
                    .include(ParseBenchmark.class.getName())
                    .forks(1)
                    .jvmArgs("-Xmx1g")
                    .warmupIterations(3)
                    .warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5)
                    .measurementTime(TimeValue.seconds(2))
                    .threads(1)
                    .shouldDoGC(false)
                    .build();
            Collection<RunResult> results = new Runner(opt).run();
            for (RunResult rr : results) {
                Row r = new Row();
                r.scenario = "parse only, JMH (1 thread)";
                r.parallelism = "1";
                r.input = "4096 generated lines";
                r.eventsPerS = rr.getPrimaryResult().getScore();
                r.wallS = Double.NaN;
                r.notes = String.format(
                        Locale.ROOT,
                        "+- %.0f ops/s (99.9%%), 1 fork, 5x2 s",
                        rr.getPrimaryResult().getScoreError());
                rows.add(r);
            }
        } catch (Exception e) {
            Row r = new Row();
            r.scenario = "parse only, JMH";
            r.notes = "failed: " + e;
            rows.add(r);
        }
        return rows;
    }
}
