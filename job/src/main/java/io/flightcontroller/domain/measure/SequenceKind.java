package io.flightcontroller.domain.measure;

import io.flightcontroller.domain.engine.CaseState;
import io.flightcontroller.domain.engine.MeasureMachine;
import io.flightcontroller.domain.engine.SequenceMachine;
import io.flightcontroller.domain.event.ProcessEvent;

/**
 * {@code sequence}: steps in order, matched per case as one Flink CEP pattern; a lead per hop and one for the whole
 * sequence (rows of kind {@code lead_time}), a limit per hop and for the whole. Rules: {@link SequenceMachine}.
 */
final class SequenceKind extends KindRules {
    private static final long serialVersionUID = 1L;

    @Override
    public Engine engine() {
        return Engine.CEP;
    }

    @Override
    public MeasureKind resultKind() {
        return MeasureKind.LEAD_TIME;
    }

    @Override
    public boolean allowsSlo() {
        return true;
    }

    @Override
    public boolean allowsSteps() {
        return true;
    }

    @Override
    public void validate(MeasureDefinition.Builder b, String n) {
        b.checkSequence(n);
    }

    @Override
    public void apply(
            MeasureMachine machine,
            String caseKey,
            CaseState s,
            ProcessEvent e,
            boolean late,
            MeasureMachine.Listener out) {
        throw new UnsupportedOperationException("kind sequence runs on Flink CEP, not on the state machine");
    }
}
