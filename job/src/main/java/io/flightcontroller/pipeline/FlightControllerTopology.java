package io.flightcontroller.pipeline;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.ErrorBudget;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import io.flightcontroller.domain.result.WindowAggregate;
import io.flightcontroller.serialization.DomainSerializers;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;

/**
 * The whole Flight Controller dataflow, in one place. Sources and sinks are not part of it: the caller hands in the
 * parsed input and attaches sinks to the returned {@link Outputs}, so tests swap in collections and the application
 * wires files, JDBC, SNS, Timestream or InfluxDB.
 *
 * <pre>
 * parsed records --end-of-input cap--split--> events --> keyBy(correlation id): dedup, late, route
 *      |                                                        |
 *   dead letters                                 keyBy(measure:case key): measure machine (event time)
 *                                                + per sequence measure, keyBy(case key): its flink-cep pattern
 *                                                 |            |           |              |
 *                                           measurements    alerts      outcomes       open cases
 *                                                                    /          \
 *                                              keyBy(measure): tumbling windows   keyBy(measure): burn rates
 *                                                    (aggregates)                  (alerts, error budgets)
 * </pre>
 * With {@code state.layout=per_correlation_id} the first keyed operator also measures: "keyBy(correlation id):
 * dedup, late, measure" runs the measure machine of every state-machine measure whose case key includes the
 * correlation id and hands only the other measures' events on (to the sequence patterns and the per-measure
 * operator, which then sees only measures keyed on payload fields alone); its measurements, alerts, outcomes and open
 * cases join those of the per-measure operator.
 * Every operator has a stable {@code uid} so savepoints survive changes to the job.
 */
public final class FlightControllerTopology {
    private FlightControllerTopology() {}

    /** The streams the topology produces. */
    public static final class Outputs {
        /** Leads, counts and values. */
        public final DataStream<Measurement> measurements;
        /** Timeout, breach and burn-rate alerts. */
        public final DataStream<Alert> alerts;
        /** Malformed, late and unroutable records. */
        public final DataStream<DeadLetter> deadLetters;
        /** Tumbling-window SLO statistics. */
        public final DataStream<WindowAggregate> aggregates;
        /** Error budget snapshots. */
        public final DataStream<ErrorBudget> errorBudgets;
        /** Open cases at end of input. */
        public final DataStream<OpenCase> openCases;

        Outputs(
                DataStream<Measurement> measurements,
                DataStream<Alert> alerts,
                DataStream<DeadLetter> deadLetters,
                DataStream<WindowAggregate> aggregates,
                DataStream<ErrorBudget> errorBudgets,
                DataStream<OpenCase> openCases) {
            this.measurements = measurements;
            this.alerts = alerts;
            this.deadLetters = deadLetters;
            this.aggregates = aggregates;
            this.errorBudgets = errorBudgets;
            this.openCases = openCases;
        }
    }

    /**
     * The watermark strategy every source uses: bounded out-of-orderness on the event's own time, and idleness so a
     * silent partition or shard does not hold the watermark back (per split/shard when the source supports it).
     *
     * @param options out-of-orderness and idle timeout
     * @return the strategy
     */
    public static WatermarkStrategy<ParsedRecord> watermarkStrategy(PipelineOptions options) {
        int k = options.getCorroboration();
        long ooo = options.getEffectiveOutOfOrdernessMs();
        WatermarkStrategy<ParsedRecord> s = WatermarkStrategy.<ParsedRecord>forGenerator(
                        ctx -> new EventTimeWatermarks(k, ooo, false))
                .withTimestampAssigner((r, previous) -> r.isEvent() ? r.eventTimeOrMin() : previous);
        Duration idle = options.getIdleTimeout();
        return idle == null ? s : s.withIdleness(idle);
    }

    /**
     * The watermark strategy of a file replay: watermarks emitted on the events themselves, never on the wall clock
     * and never idle, so they are a function of the data alone and a replay gives the same results whatever the read
     * speed. Sorted input ({@link PipelineOptions#isSortedInput()}): the watermark is the last event time minus 1 ms,
     * nothing is late. Arrival order: corroborated time minus the out-of-orderness, as on a live stream.
     *
     * @param options out-of-orderness and whether the input is sorted
     * @return the strategy
     */
    public static WatermarkStrategy<ParsedRecord> fileWatermarkStrategy(PipelineOptions options) {
        int k = options.getCorroboration();
        long ooo = options.getEffectiveOutOfOrdernessMs();
        return WatermarkStrategy.<ParsedRecord>forGenerator(ctx -> new EventTimeWatermarks(k, ooo, true))
                .withTimestampAssigner((r, previous) -> r.isEvent() ? r.eventTimeOrMin() : previous);
    }

    /**
     * Builds the dataflow on a parsed input that already carries event-time timestamps and watermarks (see
     * {@link #watermarkStrategy}).
     *
     * @param input parsed records with timestamps and watermarks
     * @param options measures and event-time settings
     * @return the output streams
     */
    public static Outputs build(DataStream<ParsedRecord> input, PipelineOptions options) {
        // cap and split run at the source's parallelism (chained), so each sees exactly its source's records and
        // the end-of-input watermark is the largest event time read, including events no measure uses
        int sourceParallelism = input.getParallelism();
        SingleOutputStreamOperator<ParsedRecord> capped = input.transform(
                        "end-of-input watermark cap",
                        DomainSerializers.PARSED_RECORD,
                        new EndOfInputWatermarkCap(options.getCorroboration(), options.getEffectiveOutOfOrdernessMs()))
                .setParallelism(sourceParallelism)
                .uid("end-of-input-cap");
        // a custom operator is a chain head by default on Flink 1.x: chained to the source instead, the parsed record
        // (raw line and event) is handed over, not serialized through the network stack (measured: benchmark README,
        // "Results: 2026-12-01, evening"); chaining does not change where state is restored from (per uid)
        ((OneInputTransformation<?, ?>) capped.getTransformation()).setChainingStrategy(ChainingStrategy.ALWAYS);

        SingleOutputStreamOperator<ProcessEvent> events = capped.process(
                        new ParseSplitter(options.getMeasures()), DomainSerializers.PROCESS_EVENT)
                .setParallelism(sourceParallelism)
                .name("split malformed and unused events")
                .uid("parse-split");

        // per measure (the default): de-duplication keyed by correlation id, then each measure keyed by its case;
        // per correlation id: one operator does both for the measures whose cases lie within one correlation id
        SingleOutputStreamOperator<?> byId;
        DataStream<RoutedEvent> routed;
        SingleOutputStreamOperator<Measurement> byCorrelationId = null;
        if (options.getStateLayout() == PipelineOptions.StateLayout.PER_CORRELATION_ID) {
            byCorrelationId = events.keyBy(ProcessEvent::getCorrelationId)
                    .transform(
                            "dedup, late, measure by correlation id",
                            DomainSerializers.MEASUREMENT,
                            new MeasureByCorrelationId(
                                    options.getMeasures(),
                                    options.getDedupRetention().toMillis(),
                                    options.getCaseRetention().toMillis()))
                    .uid("measure-by-correlation-id");
            byId = byCorrelationId;
            routed = byCorrelationId.getSideOutput(MeasureByCorrelationId.ELSEWHERE);
        } else {
            SingleOutputStreamOperator<RoutedEvent> dedup = events.keyBy(ProcessEvent::getCorrelationId)
                    .transform(
                            "dedup, late, route",
                            RoutedEvent.TYPE,
                            new DedupAndRoute.Operator(new DedupAndRoute(
                                    options.getMeasures(),
                                    options.getDedupRetention().toMillis())))
                    .uid("dedup-route");
            byId = dedup;
            routed = dedup;
        }

        // sequence measures: one flink-cep operator each; every other measure: the state machine
        SequenceStreams sequences = SequenceStreams.build(routed, options);
        SingleOutputStreamOperator<Measurement> measured = sequences
                .others(routed)
                .keyBy(RoutedEvent::key, RoutedEvent.KEY_TYPE)
                .transform(
                        "measure",
                        DomainSerializers.MEASUREMENT,
                        new MeasureOperator(new MeasureFunction(
                                options.getMeasures(),
                                options.getCaseRetention().toMillis())))
                .uid("measure");

        DataStream<Outcome> outcomes =
                SequenceStreams.union(both(measured, byCorrelationId, SideOutputs.OUTCOMES), sequences.outcomes);

        SingleOutputStreamOperator<Alert> burnRate = outcomes.keyBy(Outcome::getMeasure)
                .transform(
                        "burn rates",
                        TypeInformation.of(Alert.class),
                        new BurnRateOperator(
                                new BurnRateFunction(options.getMeasures(), options.getBurnRateBucketMs())))
                .uid("burn-rate");

        DataStream<WindowAggregate> aggregates = null;
        for (Duration w : options.getMeasures().getAggregateWindows()) {
            DataStream<WindowAggregate> a = outcomes.keyBy(Outcome::getMeasure)
                    .transform("aggregate " + w, TypeInformation.of(WindowAggregate.class), new SloWindowOperator(w))
                    .uid("aggregate-" + w);
            aggregates = aggregates == null ? a : aggregates.union(a);
        }

        return new Outputs(
                SequenceStreams.union(
                        byCorrelationId == null ? measured : measured.union(byCorrelationId), sequences.measurements),
                SequenceStreams.union(
                        both(measured, byCorrelationId, SideOutputs.ALERTS).union(burnRate), sequences.alerts),
                SequenceStreams.union(
                        events.getSideOutput(SideOutputs.DEAD_LETTERS)
                                .union(byId.getSideOutput(SideOutputs.DEAD_LETTERS)),
                        sequences.deadLetters),
                aggregates,
                burnRate.getSideOutput(SideOutputs.ERROR_BUDGETS),
                SequenceStreams.union(both(measured, byCorrelationId, SideOutputs.OPEN_CASES), sequences.openCases));
    }

    /** @return the side output of the per-measure operator, with that of the per-correlation-id one when it exists */
    private static <T> DataStream<T> both(
            SingleOutputStreamOperator<Measurement> measured,
            SingleOutputStreamOperator<Measurement> byCorrelationId,
            org.apache.flink.util.OutputTag<T> tag) {
        DataStream<T> s = measured.getSideOutput(tag);
        return byCorrelationId == null ? s : s.union(byCorrelationId.getSideOutput(tag));
    }
}
