package io.flightcontroller.benchmark;

import io.flightcontroller.adapters.file.JsonLinesFormat;
import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasureKind;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.FlightControllerTopology;
import io.flightcontroller.pipeline.PipelineOptions;
import io.flightcontroller.serialization.DomainSerializers;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The same matching on flink-cep, for the record of why the job does not use it: JSON through the same parser and
 * watermarks, keyed by correlation id, one pattern per lead-time measure ({@code begin(start)
 * .followedBy(end).within(timeout)}, skip past last event, event time), timeouts through a
 * {@code TimedOutPartialMatchHandler}, outputs discarded.
 *
 * <p>Shape: matching only, no de-duplication, SLOs, aggregates or burn rates (like the Esper rows), so duplicates make
 * extra matches; events/s counts input lines over the wall time of the job on the running mini-cluster
 * ({@link SharedMiniCluster}: its graphs, submission, deployment, run and end, not the cluster's start); the notes
 * carry the number of matches and of timed-out partial matches.
 */
final class CepScenario {
    private final MeasuresConfig measures;

    /** @param measures the measures whose lead-time definitions become patterns */
    CepScenario(MeasuresConfig measures) {
        this.measures = measures;
    }

    /**
     * @param name scenario name of the row
     * @param p parallelism
     * @param files JSON Lines inputs, one per source reader
     * @param lines input lines (the events column)
     * @return the row
     * @throws Exception when the job fails
     */
    Row run(String name, int p, List<Path> files, long lines) throws Exception {
        PipelineOptions options = PipelineOptions.builder(measures).build();
        // heap state, no managed memory: any running cluster of its slots (FlightControllerScenario's, reused)
        SharedMiniCluster cluster = SharedMiniCluster.withAnyManagedMemory(Math.max(p, files.size()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(p, new Configuration());
        org.apache.flink.core.fs.Path[] paths = files.stream()
                .map(f -> new org.apache.flink.core.fs.Path(f.toAbsolutePath().toUri()))
                .toArray(org.apache.flink.core.fs.Path[]::new);
        FileSource<ParsedRecord> src = FileSource.forRecordStreamFormat(new JsonLinesFormat(new EventParser()), paths)
                .build();
        DataStream<ProcessEvent> events = env.fromSource(
                        src, FlightControllerTopology.watermarkStrategy(options), "event files")
                .setParallelism(files.size())
                .filter(ParsedRecord::isEvent)
                .setParallelism(files.size())
                .map(ParsedRecord::getEvent)
                // the job's own serializer for events, as the FC rows ship them (Kryo, the POJO serializer's choice for
                // the payload map, cannot rebuild a parsed payload: it is frozen, FrozenPayload)
                .returns(DomainSerializers.PROCESS_EVENT)
                .setParallelism(files.size());
        KeyedStream<ProcessEvent, String> keyed = events.keyBy(ProcessEvent::getCorrelationId);
        for (MeasureDefinition d : measures.getMeasures()) {
            if (d.getKind() != MeasureKind.LEAD_TIME) {
                continue;
            }
            Set<String> start = new HashSet<>(d.getStart());
            Set<String> end = new HashSet<>(d.getEnd());
            Pattern<ProcessEvent, ?> pattern = Pattern.<ProcessEvent>begin(
                            "start", AfterMatchSkipStrategy.skipPastLastEvent())
                    .where(SimpleCondition.of(e -> start.contains(e.getEventType())))
                    .followedBy("end")
                    .where(SimpleCondition.of(e -> end.contains(e.getEventType())));
            if (d.getTimeout() != null) {
                pattern = pattern.within(d.getTimeout());
            }
            SingleOutputStreamOperator<Long> leads =
                    CEP.pattern(keyed, pattern).inEventTime().process(new CepMatches());
            leads.map(new Counting("cep_matched")).sinkTo(new BenchSources.DiscardingSink<>());
            leads.getSideOutput(CepMatches.TIMED_OUT)
                    .map(new Counting("cep_timed_out"))
                    .sinkTo(new BenchSources.DiscardingSink<>());
        }
        Meter m = new Meter();
        JobExecutionResult r = cluster.execute(env, name);
        Map<String, Object> acc = r.getAllAccumulatorResults();
        Row row = new Row();
        row.scenario = name;
        row.parallelism = String.valueOf(p);
        row.input = files.size() + " JSON file(s)";
        row.notes = String.format(
                Locale.ROOT,
                "matched %d, timed_out %d (no dedup: duplicates make extra matches)",
                FlightControllerScenario.accumulator(acc, "cep_matched"),
                FlightControllerScenario.accumulator(acc, "cep_timed_out"));
        m.finish(row, lines);
        System.out.println("  " + name + " p=" + p + ": " + Report.fmt(row.eventsPerS) + " events/s; " + row.notes);
        return row;
    }

    /** Emits each CEP match's lead in ms, and each timed-out partial match's start time on {@link #TIMED_OUT}. */
    static final class CepMatches extends PatternProcessFunction<ProcessEvent, Long>
            implements TimedOutPartialMatchHandler<ProcessEvent> {
        private static final long serialVersionUID = 1L;
        static final OutputTag<Long> TIMED_OUT = new OutputTag<>("timed-out", Types.LONG);

        @Override
        public void processMatch(Map<String, List<ProcessEvent>> match, Context ctx, Collector<Long> out) {
            out.collect(match.get("end").get(0).getTimeMs()
                    - match.get("start").get(0).getTimeMs());
        }

        @Override
        public void processTimedOutMatch(Map<String, List<ProcessEvent>> match, Context ctx) {
            ctx.output(TIMED_OUT, match.get("start").get(0).getTimeMs());
        }
    }

    /** Counts records into an accumulator and passes them on. */
    static final class Counting extends RichMapFunction<Long, Long> {
        private static final long serialVersionUID = 1L;
        private final String name;
        private transient LongCounter counter;

        Counting(String name) {
            this.name = name;
        }

        @Override
        public void open(OpenContext ctx) {
            counter = getRuntimeContext().getLongCounter(name);
        }

        @Override
        public Long map(Long v) {
            counter.add(1);
            return v;
        }
    }
}
