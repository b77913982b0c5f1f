package io.flightcontroller.benchmark;

import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.FlightControllerTopology;
import io.flightcontroller.pipeline.PipelineOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Heap state per case: a job at p=1 (heap state backend) whose source emits N cases, then a marker case, then holds the
 * job open; once the marker's measurement reaches the sink, the heap in use after garbage collection minus the same
 * for an empty job, divided by N.
 *
 * <p>Shape: bytes per case in the value column; three rows per size: open cases (only starts), finished cases within
 * retention (all three events, de-duplication keys kept 1 h and the case 1 day of event time), finished cases after
 * retention (the watermark moved on 2 days).
 */
final class StateScenario {
    private PipelineOptions.StateLayout stateLayout = PipelineOptions.StateLayout.PER_MEASURE;

    /**
     * @param layout the job's {@code state.layout}
     * @return this
     */
    StateScenario stateLayout(PipelineOptions.StateLayout layout) {
        this.stateLayout = layout;
        return this;
    }

    private final MeasuresConfig measures;
    private final String label;

    /** @param measures the measures the job runs */
    StateScenario(MeasuresConfig measures) {
        this(measures, null);
    }

    /**
     * @param measures the measures the job runs
     * @param label what the rows' names start with (null: none)
     */
    StateScenario(MeasuresConfig measures, String label) {
        this.measures = measures;
        this.label = label;
    }

    /**
     * @param sizes case counts, one set of three rows each
     * @return the rows, in order
     * @throws Exception when a job fails or the marker never arrives
     */
    List<Row> rows(List<Long> sizes) throws Exception {
        List<Row> rows = new ArrayList<>();
        long base = holding(0, 1.0, 0);
        for (long n : sizes) {
            long open = holding(n, 1.0, 0);
            rows.add(row("state per OPEN case", n, open - base, "only starts; heap after GC minus an empty job's"));
            long fin = holding(n, 0.0, 0);
            rows.add(row(
                    "state per FINISHED case, within retention",
                    n,
                    fin - base,
                    "3 events/case, all matched; dedup kept 1 h and case kept 1 day of event time"));
            long exp = holding(n, 0.0, 2L * 24 * 3_600_000);
            rows.add(row(
                    "state per FINISHED case, after retention",
                    n,
                    exp - base,
                    "same, then the watermark moved 2 days on"));
        }
        return rows;
    }

    private long holding(long n, double neverCompletes, long advanceMs) throws Exception {
        BenchSources.HoldingSource.RELEASE = new CountDownLatch(1);
        BenchSources.MarkerSink.LATCH = new CountDownLatch(1);
        PipelineOptions options =
                PipelineOptions.builder(measures).stateLayout(stateLayout).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
        DataStream<ParsedRecord> input = env.addSource(
                        new BenchSources.HoldingSource(n, neverCompletes, advanceMs), "holding")
                .setParallelism(1)
                .assignTimestampsAndWatermarks(FlightControllerTopology.watermarkStrategy(options));
        FlightControllerTopology.Outputs out = FlightControllerTopology.build(input, options);
        out.measurements.sinkTo(new BenchSources.MarkerSink<>("key=marker")).name("marker");
        out.alerts.sinkTo(new BenchSources.DiscardingSink<>());
        out.deadLetters.sinkTo(new BenchSources.DiscardingSink<>());
        out.aggregates.sinkTo(new BenchSources.DiscardingSink<>());
        out.errorBudgets.sinkTo(new BenchSources.DiscardingSink<>());
        out.openCases.sinkTo(new BenchSources.DiscardingSink<>());
        JobClient client = env.executeAsync("state " + n);
        try {
            if (!BenchSources.MarkerSink.LATCH.await(15, TimeUnit.MINUTES)) {
                throw new IllegalStateException("marker never arrived");
            }
            Thread.sleep(1000);
            return Meter.usedHeapAfterGc();
        } finally {
            BenchSources.HoldingSource.RELEASE.countDown();
            client.getJobExecutionResult().get();
        }
    }

    private Row row(String name, long n, long bytes, String note) {
        Row r = new Row();
        r.scenario = label == null ? name : label + ", " + name;
        r.parallelism = "1";
        r.input = n + " cases";
        r.events = n;
        r.wallS = Double.NaN;
        r.eventsPerS = (double) bytes / n;
        r.notes = "bytes/case (value column); " + note + "; delta " + (bytes >> 10) + " KiB";
        System.out.printf(Locale.ROOT, "  %s, %d cases: %.0f bytes/case%n", r.scenario, n, (double) bytes / n);
        return r;
    }
}
