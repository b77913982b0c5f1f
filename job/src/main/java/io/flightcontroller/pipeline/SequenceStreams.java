package io.flightcontroller.pipeline;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.EventTimes;
import io.flightcontroller.domain.measure.KindRules;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The sequence measures' part of the topology: for each sequence measure, its routed events, keyed by case key, through
 * one {@link SequenceOperator} (uid {@code sequence-<measure name>}); every other measure's events go on to the state
 * machine. Without sequence measures nothing is added, so such a job's graph is unchanged.
 */
final class SequenceStreams {
    final DataStream<Measurement> measurements;
    final DataStream<Alert> alerts;
    final DataStream<Outcome> outcomes;
    final DataStream<OpenCase> openCases;
    final DataStream<DeadLetter> deadLetters;
    private final List<String> sequenceNames;

    private SequenceStreams(
            List<String> sequenceNames,
            List<SingleOutputStreamOperator<Measurement>> ops,
            DataStream<DeadLetter> deadLetters) {
        this.sequenceNames = sequenceNames;
        DataStream<Measurement> m = null;
        DataStream<Alert> a = null;
        DataStream<Outcome> o = null;
        DataStream<OpenCase> c = null;
        for (SingleOutputStreamOperator<Measurement> op : ops) {
            m = m == null ? op : m.union(op);
            a = a == null ? op.getSideOutput(SideOutputs.ALERTS) : a.union(op.getSideOutput(SideOutputs.ALERTS));
            o = o == null ? op.getSideOutput(SideOutputs.OUTCOMES) : o.union(op.getSideOutput(SideOutputs.OUTCOMES));
            c = c == null
                    ? op.getSideOutput(SideOutputs.OPEN_CASES)
                    : c.union(op.getSideOutput(SideOutputs.OPEN_CASES));
        }
        this.measurements = m;
        this.alerts = a;
        this.outcomes = o;
        this.openCases = c;
        this.deadLetters = deadLetters;
    }

    /**
     * @param routed the routed events of every measure
     * @param options measures, case retention
     * @return the sequence operators' outputs (null streams when there is no sequence measure)
     */
    static SequenceStreams build(DataStream<RoutedEvent> routed, PipelineOptions options) {
        List<MeasureDefinition> defs = options.getMeasures().getMeasures();
        List<String> sequenceNames = new ArrayList<>();
        List<SingleOutputStreamOperator<Measurement>> ops = new ArrayList<>();
        DataStream<DeadLetter> late = null;
        for (int i = 0; i < defs.size(); i++) {
            MeasureDefinition d = defs.get(i);
            if (d.getKind().rules().engine() != KindRules.Engine.CEP) {
                continue;
            }
            sequenceNames.add(d.getName());
            String name = d.getName();
            SingleOutputStreamOperator<Measurement> op = routed.filter(
                            (FilterFunction<RoutedEvent>) r -> name.equals(r.measure))
                    .name("route " + d.getName())
                    .uid("route-sequence-" + d.getName())
                    .keyBy((KeySelector<RoutedEvent, String>) r -> r.caseKey, Types.STRING)
                    .transform(
                            "sequence " + d.getName() + " (flink-cep)",
                            io.flightcontroller.serialization.DomainSerializers.MEASUREMENT,
                            SequenceOperator.of(
                                    d,
                                    options.getCaseRetention().toMillis(),
                                    routed.getExecutionConfig().getSerializerConfig()))
                    .uid("sequence-" + d.getName());
            ops.add(op);
            DataStream<DeadLetter> l = op.getSideOutput(SequenceOperator.LATE)
                    .process(new LateToDeadLetter())
                    .name("late at " + d.getName())
                    .uid("sequence-late-" + d.getName());
            late = late == null ? l : late.union(l);
        }
        return new SequenceStreams(sequenceNames, ops, late);
    }

    /**
     * @param routed the routed events of every measure
     * @return the events of the measures that are not sequences (the same stream when there is no sequence)
     */
    DataStream<RoutedEvent> others(DataStream<RoutedEvent> routed) {
        if (measurements == null) {
            return routed;
        }
        java.util.Set<String> skip = new java.util.HashSet<>(sequenceNames);
        return routed.filter((FilterFunction<RoutedEvent>) r -> !skip.contains(r.measure))
                .name("route lead times, counts, values")
                .uid("route-state-machine");
    }

    /**
     * @param main a stream of the state machine
     * @param sequences the sequence operators' stream of the same kind, or null
     * @param <T> element type
     * @return both
     */
    static <T> DataStream<T> union(DataStream<T> main, DataStream<T> sequences) {
        return sequences == null ? main : main.union(sequences);
    }

    /** Dead-letters and counts ({@code late}) what flink-cep found behind its watermark. */
    static final class LateToDeadLetter extends ProcessFunction<RoutedEvent, DeadLetter> {
        private static final long serialVersionUID = 1L;
        private transient PipelineCounters counters;

        @Override
        public void open(OpenContext openContext) {
            counters = new PipelineCounters(getRuntimeContext());
        }

        @Override
        public void processElement(RoutedEvent r, Context ctx, Collector<DeadLetter> out) {
            long watermark = ctx.timerService().currentWatermark();
            long lateness = Math.max(0, watermark - r.event.getTimeMs());
            counters.late(lateness);
            out.collect(DeadLetter.of(
                            "sequence",
                            DeadLetter.REASON_LATE,
                            "event time " + EventTimes.iso(r.event.getTimeMs())
                                    + " is at or behind the sequence operator's watermark",
                            r.event.toString())
                    .withEvent(r.event.getCorrelationId(), r.event.getTimeMs()));
        }
    }
}
