package io.flightcontroller.pipeline;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.engine.MeasureMachine;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;

/**
 * What every measuring operator does with a machine's decisions: counts them ({@code matched}, {@code timed_out},
 * {@code breached}, {@code orphan}, {@code no_value}, {@code late_applied}) and hands the results to its outputs
 * ({@link #emit(Measurement)}, {@link #emit(Alert)}, {@link #emit(Outcome)}), so the counters mean the same in every
 * layout and on every path (event, timer, end of input).
 */
abstract class CountingListener implements MeasureMachine.Listener {
    private final PipelineCounters counters;

    CountingListener(PipelineCounters counters) {
        this.counters = counters;
    }

    /** A lead row (or a count, a value), to the main output. */
    abstract void emit(Measurement m);

    /** A timeout or breach, to {@link SideOutputs#ALERTS}. */
    abstract void emit(Alert a);

    /** An SLO outcome, to {@link SideOutputs#OUTCOMES}. */
    abstract void emit(Outcome o);

    @Override
    public void measurement(Measurement m) {
        counters.inc(PipelineCounters.MATCHED);
        emit(m);
    }

    @Override
    public final void alert(Alert a) {
        counters.inc(a.getKind() == Alert.Kind.TIMEOUT ? PipelineCounters.TIMED_OUT : PipelineCounters.BREACHED);
        emit(a);
    }

    @Override
    public final void outcome(Outcome o) {
        emit(o);
    }

    @Override
    public final void orphan(ProcessEvent e) {
        counters.inc(PipelineCounters.ORPHAN);
    }

    @Override
    public final void noValue(ProcessEvent e) {
        counters.inc(PipelineCounters.NO_VALUE);
    }

    @Override
    public void lateApplied(ProcessEvent e) {
        counters.inc(PipelineCounters.LATE_APPLIED);
    }

    /** @return the counters, for what a subclass counts beyond these */
    PipelineCounters counters() {
        return counters;
    }
}
