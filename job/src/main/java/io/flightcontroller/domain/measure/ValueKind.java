package io.flightcontroller.domain.measure;

import io.flightcontroller.domain.engine.CaseState;
import io.flightcontroller.domain.engine.MeasureMachine;
import io.flightcontroller.domain.event.ProcessEvent;

/** {@code value}: a number computed by an expression from one event's payload, emitted for each start event. */
final class ValueKind extends KindRules {
    private static final long serialVersionUID = 1L;

    @Override
    public MeasureKind resultKind() {
        return MeasureKind.VALUE;
    }

    @Override
    public EventsField eventsField() {
        return EventsField.START;
    }

    @Override
    public boolean allowsExpression() {
        return true;
    }

    @Override
    public boolean keepsHistory(MeasureDefinition def) {
        return true;
    }

    @Override
    public void validate(MeasureDefinition.Builder b, String n) {
        if (b.startTypes().isEmpty()) {
            throw new InvalidMeasureException(n, "event", "needs at least one event type");
        }
        if (b.expressionSource() == null) {
            throw new InvalidMeasureException(n, "expression", "is required for kind value");
        }
    }

    @Override
    public void apply(
            MeasureMachine machine,
            String caseKey,
            CaseState s,
            ProcessEvent e,
            boolean late,
            MeasureMachine.Listener out) {
        MeasureDefinition def = machine.getDefinition();
        if (def.getStart().contains(e.getEventType())) {
            Double v = def.getExpression().evaluate(e);
            if (v == null) {
                out.noValue(e);
            } else {
                s.cycle++;
                out.measurement(machine.single(caseKey, e, s.cycle, v));
            }
        }
    }
}
