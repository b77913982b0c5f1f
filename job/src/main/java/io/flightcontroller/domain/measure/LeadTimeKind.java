package io.flightcontroller.domain.measure;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.engine.CaseState;
import io.flightcontroller.domain.engine.MeasureMachine;
import io.flightcontroller.domain.result.Measurement;

/**
 * {@code lead_time}: time from the first start event of a case (or cycle) to the first end event after it, with an
 * optional timeout and SLO. Rules of matching and verdicts: {@link MeasureMachine}.
 */
final class LeadTimeKind extends KindRules {
    private static final long serialVersionUID = 1L;

    @Override
    public MeasureKind resultKind() {
        return MeasureKind.LEAD_TIME;
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
    public boolean allowsSlo() {
        return true;
    }

    @Override
    public void validate(MeasureDefinition.Builder b, String n) {
        b.checkStartAndEnd(n);
    }

    /**
     * The lead is the value; with an SLO, one verdict per cycle: good when completed in time and not breached before,
     * else bad (a cycle already counted bad at its threshold gives its lead without a second verdict).
     */
    @Override
    public void completed(
            MeasureDefinition def, CaseState s, Measurement m, boolean afterTimeout, MeasureMachine.Listener out) {
        long lead = m.getEndMs() - m.getStartMs();
        m.setValue(lead);
        Slo slo = def.getSlo();
        if (slo == null) {
            out.outcome(Outcome.of(def.getName(), m.getEndMs(), null, false, lead));
            return;
        }
        boolean good =
                !afterTimeout && !s.breached && lead <= slo.getThreshold().toMillis();
        m.setGood(good);
        if (s.breached) {
            out.outcome(Outcome.of(def.getName(), m.getEndMs(), Boolean.FALSE, false, lead));
        } else {
            s.breached = !good;
            out.outcome(Outcome.of(def.getName(), m.getEndMs(), good, true, lead));
        }
    }
}
