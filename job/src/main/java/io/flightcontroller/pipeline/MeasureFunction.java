package io.flightcontroller.pipeline;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.engine.CaseState;
import io.flightcontroller.domain.engine.MeasureMachine;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import io.flightcontroller.serialization.DomainSerializers;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by (measure name, case key): keeps one {@link CaseState} and lets the measure's
 * {@link MeasureMachine} apply events once the watermark has passed them. One event-time timer per key fires at the
 * earliest buffered event, the case's next deadline or the end of its retention; a completed case is cleared after
 * the retention.
 *
 * <p>Main output: {@link Measurement}s. Side outputs: {@link SideOutputs#ALERTS},
 * {@link SideOutputs#OUTCOMES}. Open cases at end of input are reported by {@link MeasureOperator}.
 */
class MeasureFunction extends KeyedProcessFunction<Tuple2<String, String>, RoutedEvent, Measurement> {
    private static final long serialVersionUID = 1L;

    static final ValueStateDescriptor<CaseState> STATE =
            new ValueStateDescriptor<>("case", DomainSerializers.CASE_STATE);

    private final MeasuresConfig measures;
    private final long retentionMs;
    private transient Map<String, MeasureMachine> machines;
    private transient ValueState<CaseState> state;
    private transient PipelineCounters counters;

    MeasureFunction(MeasuresConfig measures, long retentionMs) {
        this.measures = measures;
        this.retentionMs = retentionMs;
    }

    @Override
    public void open(OpenContext openContext) {
        machines = new HashMap<>();
        for (MeasureDefinition d : measures.getMeasures()) {
            machines.put(d.getName(), new MeasureMachine(d, retentionMs));
        }
        state = getRuntimeContext().getState(STATE);
        counters = new PipelineCounters(getRuntimeContext());
    }

    PipelineCounters counters() {
        return counters;
    }

    /** @return the machine of a measure in the current measures file, or null when it is no longer there */
    MeasureMachine machine(String measure) {
        return machines.get(measure);
    }

    @Override
    public void processElement(RoutedEvent r, Context ctx, Collector<Measurement> out) throws Exception {
        MeasureMachine m = machines.get(r.measure);
        CaseState s = state.value();
        if (m == null) {
            return; // cannot happen: routing only uses measures of this file
        }
        if (s == null) {
            s = new CaseState();
        }
        // a late event too waits for the watermark it arrived behind, when every on-time event of the case up to
        // it has arrived, whichever channel each came through (a case keyed on payload fields gets its events from
        // several upstream subtasks): the same rows at any parallelism (MeasureMachine#buffer)
        m.buffer(s, r.event);
        long due = MeasureMachine.dueAt(r.event);
        long watermark = ctx.timerService().currentWatermark();
        if (due <= watermark) {
            // late, and this operator's watermark is already at the one it arrived behind (it cannot be past it:
            // that watermark came before the event on the event's channel): every on-time event up to it has
            // arrived and been applied, none after it, so it is judged now rather than at the next watermark
            m.advanceTo(r.caseKey, s, watermark, listener(ctx, out));
            save(m, s, ctx);
            return;
        }
        if (due < s.timerMs) {
            reschedule(ctx, s, due);
        }
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Measurement> out) throws Exception {
        CaseState s = state.value();
        if (s == null || timestamp != s.timerMs) {
            return;
        }
        s.timerMs = Long.MAX_VALUE; // this timer has fired
        Tuple2<String, String> key = ctx.getCurrentKey();
        MeasureMachine m = machines.get(key.f0);
        if (m == null) {
            // restored from a savepoint of a measures file that had this measure: its state goes, counted
            counters.inc(PipelineCounters.STATE_OF_REMOVED_MEASURE);
            state.clear();
            return;
        }
        m.advanceTo(key.f1, s, ctx.timerService().currentWatermark(), listener(ctx, out));
        save(m, s, ctx);
    }

    /**
     * Stores or clears the state and keeps exactly one event-time timer per key, at the earliest time the case has
     * work: its next buffered event, its next deadline, or the end of its retention. So timers, like state, exist only
     * for open cases and for the retention of closed ones.
     */
    private void save(MeasureMachine m, CaseState s, Context ctx) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        long disposable = m.disposableFrom(s, retentionMs);
        if (disposable <= watermark) {
            reschedule(ctx, s, Long.MAX_VALUE);
            state.clear();
            return;
        }
        reschedule(ctx, s, Math.min(m.nextDueTime(s), disposable));
        state.update(s);
    }

    private static void reschedule(Context ctx, CaseState s, long wakeUpMs) {
        if (wakeUpMs == s.timerMs) {
            return;
        }
        if (s.timerMs != Long.MAX_VALUE) {
            ctx.timerService().deleteEventTimeTimer(s.timerMs);
        }
        if (wakeUpMs != Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(wakeUpMs);
        }
        s.timerMs = wakeUpMs;
    }

    /**
     * Applies the events still buffered when a bounded input ends (their times lie beyond the final watermark) to
     * their own case, in order.
     */
    void drainAtEnd(Tuple2<String, String> key, CaseState s, MeasureMachine.Listener out) {
        MeasureMachine m = machines.get(key.f0);
        if (m == null) {
            return;
        }
        long last = Long.MIN_VALUE;
        for (io.flightcontroller.domain.event.ProcessEvent e : s.pending) {
            last = Math.max(last, MeasureMachine.dueAt(e));
        }
        m.advanceTo(key.f1, s, last, out);
    }

    /**
     * Reports the case held in {@code s} as open, if it is.
     *
     * @return the open case or null
     */
    OpenCase openCase(Tuple2<String, String> key, CaseState s, long lastEventTimeMs) {
        MeasureMachine m = machines.get(key.f0);
        return m == null ? null : m.openCase(key.f1, s, lastEventTimeMs);
    }

    private MeasureMachine.Listener listener(Context ctx, Collector<Measurement> out) {
        return new CountingListener(counters) {
            @Override
            void emit(Measurement m) {
                out.collect(m);
            }

            @Override
            void emit(Alert a) {
                ctx.output(SideOutputs.ALERTS, a);
            }

            @Override
            void emit(Outcome o) {
                ctx.output(SideOutputs.OUTCOMES, o);
            }
        };
    }
}
