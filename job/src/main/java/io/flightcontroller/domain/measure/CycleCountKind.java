package io.flightcontroller.domain.measure;

import io.flightcontroller.domain.engine.CaseState;
import io.flightcontroller.domain.engine.MeasureMachine;
import io.flightcontroller.domain.result.Measurement;

/**
 * {@code cycle_count}: the number of {@code count} events (default: the start events) in a cycle, emitted when the
 * cycle ends, with the largest count so far as its maximum.
 */
final class CycleCountKind extends KindRules {
    private static final long serialVersionUID = 1L;

    @Override
    public MeasureKind resultKind() {
        return MeasureKind.CYCLE_COUNT;
    }

    @Override
    public boolean hasCycles() {
        return true;
    }

    @Override
    public boolean allowsTimeout() {
        return true;
    }

    @Override
    public void validate(MeasureDefinition.Builder b, String n) {
        b.checkStartAndEnd(n);
    }

    @Override
    public void completed(
            MeasureDefinition def, CaseState s, Measurement m, boolean afterTimeout, MeasureMachine.Listener out) {
        s.maxCycleCount = Math.max(s.maxCycleCount, s.cycleCount);
        m.setValue(s.cycleCount);
        m.setMaxValue((double) s.maxCycleCount);
    }
}
