package io.flightcontroller.benchmark;

import io.flightcontroller.adapters.file.JsonLinesFormat;
import io.flightcontroller.adapters.jdbc.JdbcOutputs;
import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.MeasuresConfig;
import io.flightcontroller.domain.ParsedRecord;
import io.flightcontroller.pipeline.FlightControllerTopology;
import io.flightcontroller.pipeline.PipelineCounters;
import io.flightcontroller.pipeline.PipelineOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Flight Controller end to end on a Flink mini-cluster in this JVM: the job's whole topology
 * ({@code FlightControllerTopology.build}) from JSON Lines files through {@code JsonLinesFormat(EventParser)}, or from
 * the generator's pre-parsed events, into sinks that drop everything (or the job's JDBC sinks).
 *
 * <p>Shape: p=1 reads one file; p=N reads N files (one per source reader, see {@link Shards}); events/s counts input
 * lines over the wall time of {@code env.execute}, job start (~1-2 s) included. The row's notes carry the job's own
 * counters ({@code records_in}, {@code matched}, {@code timed_out}, {@code open_at_end}, {@code duplicate},
 * {@code late}).
 */
final class FlightControllerScenario {
    private final MeasuresConfig measures;
    private final long cases;
    private final long seed;

    /**
     * @param measures the measures the job runs
     * @param cases cases of the generator source (pre-parsed runs)
     * @param seed seed of the generator source
     */
    FlightControllerScenario(MeasuresConfig measures, long cases, long seed) {
        this.measures = measures;
        this.cases = cases;
        this.seed = seed;
    }

    /**
     * Warms up (JIT, class loading, mini-cluster start) on a 20,000-case workload at p=1; not reported.
     *
     * @param workDir where the warm-up file goes
     * @throws Exception when the job fails
     */
    void warmUp(Path workDir) throws Exception {
        Path warm = workDir.resolve("warmup.jsonl");
        WorkloadGenerator.writeJsonLines(new WorkloadGenerator.Settings().cases(20_000).seed(1), warm);
        run("warm-up", 1, List.of(warm), null, null, false);
    }

    /**
     * One run.
     *
     * @param name scenario name of the row
     * @param p parallelism
     * @param files JSON Lines inputs, one per source reader; null reads the generator's events (no JSON)
     * @param jdbcUrl JDBC URL of the job's sinks; null discards every output
     * @param lines input lines (the events column); null takes the job's {@code records_in}
     * @param report whether to print a progress line
     * @return the row
     * @throws Exception when the job fails
     */
    Row run(String name, int p, List<Path> files, String jdbcUrl, Long lines, boolean report) throws Exception {
        PipelineOptions options = PipelineOptions.builder(measures).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(p, new Configuration());
        DataStream<ParsedRecord> input;
        if (files != null) {
            org.apache.flink.core.fs.Path[] paths = files.stream()
                    .map(f -> new org.apache.flink.core.fs.Path(f.toAbsolutePath().toUri()))
                    .toArray(org.apache.flink.core.fs.Path[]::new);
            FileSource<ParsedRecord> src =
                    FileSource.forRecordStreamFormat(new JsonLinesFormat(new EventParser()), paths).build();
            input = env.fromSource(src, FlightControllerTopology.watermarkStrategy(options), "event files")
                    .setParallelism(files.size());
        } else {
            input = env.addSource(new BenchSources.GeneratorSource(cases, seed), "generator").setParallelism(1)
                    .assignTimestampsAndWatermarks(FlightControllerTopology.watermarkStrategy(options))
                    .setParallelism(1);
        }
        FlightControllerTopology.Outputs out = FlightControllerTopology.build(input, options);
        if (jdbcUrl != null) {
            JdbcOutputs.attach(out, jdbcUrl);
        } else {
            out.measurements.sinkTo(new BenchSources.DiscardingSink<>()).name("discard measurements");
            out.alerts.sinkTo(new BenchSources.DiscardingSink<>()).name("discard alerts");
            out.deadLetters.sinkTo(new BenchSources.DiscardingSink<>()).name("discard dead letters");
            out.aggregates.sinkTo(new BenchSources.DiscardingSink<>()).name("discard aggregates");
            out.errorBudgets.sinkTo(new BenchSources.DiscardingSink<>()).name("discard budgets");
            out.openCases.sinkTo(new BenchSources.DiscardingSink<>()).name("discard open cases");
        }
        Meter m = new Meter();
        JobExecutionResult r = env.execute(name);
        Map<String, Object> acc = r.getAllAccumulatorResults();
        long in = accumulator(acc, PipelineCounters.RECORDS_IN);
        Row row = new Row();
        row.scenario = name;
        row.parallelism = String.valueOf(p);
        row.input = files == null ? "generator (no JSON)" : files.size() + " JSON file(s)";
        row.notes = String.format(Locale.ROOT, "records_in %d, matched %d, timed_out %d, open_at_end %d, duplicate %d, late %d",
                in, accumulator(acc, PipelineCounters.MATCHED), accumulator(acc, PipelineCounters.TIMED_OUT),
                accumulator(acc, PipelineCounters.OPEN_AT_END), accumulator(acc, PipelineCounters.DUPLICATE),
                accumulator(acc, PipelineCounters.LATE));
        m.finish(row, lines != null ? lines : in);
        if (report) {
            System.out.println("  " + name + " p=" + p + ": " + Report.fmt(row.eventsPerS) + " events/s; " + row.notes);
        }
        return row;
    }

    /**
     * @param acc a job's accumulator results
     * @param name accumulator name
     * @return its value, 0 when absent
     */
    static long accumulator(Map<String, Object> acc, String name) {
        Object v = acc.get(name);
        return v instanceof Number ? ((Number) v).longValue() : 0;
    }
}
