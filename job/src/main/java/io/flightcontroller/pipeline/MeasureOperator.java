package io.flightcontroller.pipeline;

import io.flightcontroller.domain.engine.CaseState;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs {@link MeasureFunction} and, when a bounded input ends, reports every case still open (with its age at the last
 * event time seen) on {@link SideOutputs#OPEN_CASES}, then releases downstream event-time windows with a
 * final watermark. Upstream, {@link EndOfInputWatermarkCap} has already made sure the end of input fired only the
 * deadlines at or before the last event time.
 */
class MeasureOperator extends KeyedProcessOperator<Tuple2<String, String>, RoutedEvent, Measurement>
        implements BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final MeasureFunction function;
    private long lastWatermark = Long.MIN_VALUE;
    private transient PipelineCounters counters;

    MeasureOperator(MeasureFunction function) {
        super(function);
        this.function = function;
    }

    @Override
    public void open() throws Exception {
        super.open();
        counters = function.counters(); // one registry per operator: accumulators are registered once by name
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            // the end of input, sent on by MeasureByCorrelationId when its own input ended: endInput reports the
            // open cases at the last event time and then sends it on (firing every deadline here would time out
            // every open case)
            return;
        }
        lastWatermark = Math.max(lastWatermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void endInput() throws Exception {
        org.apache.flink.runtime.state.KeyedStateBackend<Tuple2<String, String>> backend = getKeyedStateBackend();
        backend.applyToAllKeys(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                MeasureFunction.STATE,
                (Tuple2<String, String> key, org.apache.flink.api.common.state.ValueState<CaseState> state) -> {
                    CaseState s = state.value();
                    if (s != null && s.hasPending()) {
                        // events beyond the final watermark: a lone jump ahead that nothing corroborated (arrival
                        // order) -- applied to their own case only, no other case's deadline moves for them
                        function.drainAtEnd(key, s, endListener());
                    }
                    OpenCase open = s == null ? null : function.openCase(key, s, lastWatermark);
                    if (open != null) {
                        counters.inc(PipelineCounters.OPEN_AT_END);
                        output.collect(SideOutputs.OPEN_CASES, new StreamRecord<>(open, lastWatermark));
                    }
                });
        output.emitWatermark(Watermark.MAX_WATERMARK);
    }

    private io.flightcontroller.domain.engine.MeasureMachine.Listener endListener() {
        return new CountingListener(counters) {
            @Override
            void emit(Measurement m) {
                output.collect(new StreamRecord<>(m, m.getEndMs()));
            }

            @Override
            void emit(io.flightcontroller.domain.result.Alert a) {
                output.collect(SideOutputs.ALERTS, new StreamRecord<>(a, a.getDeadlineMs()));
            }

            @Override
            void emit(io.flightcontroller.domain.Outcome o) {
                output.collect(SideOutputs.OUTCOMES, new StreamRecord<>(o, o.getTimeMs()));
            }
        };
    }
}
