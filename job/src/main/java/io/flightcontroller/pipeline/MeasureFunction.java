package io.flightcontroller.pipeline;

import io.flightcontroller.domain.Alert;
import io.flightcontroller.domain.CaseState;
import io.flightcontroller.domain.MeasureMachine;
import io.flightcontroller.domain.Measurement;
import io.flightcontroller.domain.MeasuresConfig;
import io.flightcontroller.domain.OpenCase;
import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.ProcessEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by {@code <measure index>:<case key>}: keeps one {@link CaseState} and lets the measure's
 * {@link MeasureMachine} apply events once the watermark has passed them. Event-time timers fire at each buffered
 * event's time and at the case's next deadline; a completed case is cleared after the retention.
 *
 * <p>Main output: {@link Measurement}s. Side outputs: {@link FlightControllerTopology#ALERTS},
 * {@link FlightControllerTopology#OUTCOMES}. Open cases at end of input are reported by {@link MeasureOperator}.
 */
class MeasureFunction extends KeyedProcessFunction<String, RoutedEvent, Measurement> {
    private static final long serialVersionUID = 1L;

    static final ValueStateDescriptor<CaseState> STATE =
            new ValueStateDescriptor<>("case", TypeInformation.of(CaseState.class));

    private final MeasuresConfig measures;
    private final long retentionMs;
    private transient List<MeasureMachine> machines;
    private transient ValueState<CaseState> state;
    private transient PipelineCounters counters;

    MeasureFunction(MeasuresConfig measures, long retentionMs) {
        this.measures = measures;
        this.retentionMs = retentionMs;
    }

    @Override
    public void open(OpenContext openContext) {
        machines = new ArrayList<>();
        for (int i = 0; i < measures.getMeasures().size(); i++) {
            machines.add(new MeasureMachine(measures.getMeasures().get(i)));
        }
        state = getRuntimeContext().getState(STATE);
        counters = new PipelineCounters(getRuntimeContext());
    }

    MeasureMachine machine(int index) {
        return machines.get(index);
    }

    @Override
    public void processElement(RoutedEvent r, Context ctx, Collector<Measurement> out) throws Exception {
        MeasureMachine m = machines.get(r.measure);
        CaseState s = state.value();
        if (s == null) {
            s = new CaseState();
        }
        if (r.late) {
            long deadlineBefore = m.nextDeadline(s);
            if (m.applyLate(r.caseKey, s, r.event, listener(ctx, out))) {
                counters.inc(PipelineCounters.LATE_APPLIED);
                save(m, s, ctx, deadlineBefore);
            }
            return;
        }
        m.buffer(s, r.event);
        ctx.timerService().registerEventTimeTimer(r.event.getTimeMs());
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Measurement> out) throws Exception {
        CaseState s = state.value();
        if (s == null) {
            return;
        }
        String key = ctx.getCurrentKey();
        int sep = key.indexOf(':');
        MeasureMachine m = machines.get(Integer.parseInt(key.substring(0, sep)));
        long deadlineBefore = m.nextDeadline(s);
        m.advanceTo(key.substring(sep + 1), s, ctx.timerService().currentWatermark(), listener(ctx, out));
        save(m, s, ctx, deadlineBefore);
    }

    /**
     * Stores or clears the state and registers the timers it needs. The timer of a deadline that is no longer pending
     * (the case completed, timed out or restarted) is deleted, so timers, like state, exist only for open cases and
     * for the retention of closed ones.
     */
    private void save(MeasureMachine m, CaseState s, Context ctx, long deadlineBefore) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        long disposable = m.disposableFrom(s, retentionMs);
        if (disposable <= watermark) {
            deleteStaleDeadline(ctx, deadlineBefore, watermark, Long.MAX_VALUE, Long.MAX_VALUE, null);
            state.clear();
            return;
        }
        state.update(s);
        long next = m.nextDueTime(s);
        deleteStaleDeadline(ctx, deadlineBefore, watermark, next, disposable, s);
        if (next != Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(next);
        }
        if (disposable != Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(disposable);
        }
    }

    private static void deleteStaleDeadline(Context ctx, long deadline, long watermark, long next, long disposable,
            CaseState s) {
        if (deadline == Long.MAX_VALUE || deadline <= watermark || deadline == next || deadline == disposable) {
            return;
        }
        if (s != null) {
            for (ProcessEvent e : s.pending) {
                if (e.getTimeMs() == deadline) {
                    return; // the same timer also applies a buffered event
                }
            }
        }
        ctx.timerService().deleteEventTimeTimer(deadline);
    }

    /**
     * Reports the case held in {@code s} as open, if it is.
     *
     * @return the open case or null
     */
    OpenCase openCase(String key, CaseState s, long lastEventTimeMs) {
        int sep = key.indexOf(':');
        return machines.get(Integer.parseInt(key.substring(0, sep)))
                .openCase(key.substring(sep + 1), s, lastEventTimeMs);
    }

    private MeasureMachine.Listener listener(Context ctx, Collector<Measurement> out) {
        return new MeasureMachine.Listener() {
            @Override
            public void measurement(Measurement m) {
                counters.inc(PipelineCounters.MATCHED);
                out.collect(m);
            }

            @Override
            public void alert(Alert a) {
                counters.inc(a.getKind() == Alert.Kind.TIMEOUT ? PipelineCounters.TIMED_OUT : PipelineCounters.BREACHED);
                ctx.output(FlightControllerTopology.ALERTS, a);
            }

            @Override
            public void outcome(Outcome o) {
                ctx.output(FlightControllerTopology.OUTCOMES, o);
            }

            @Override
            public void orphan(ProcessEvent e) {
                counters.inc(PipelineCounters.ORPHAN);
            }

            @Override
            public void noValue(ProcessEvent e) {
                counters.inc(PipelineCounters.NO_VALUE);
            }
        };
    }
}
