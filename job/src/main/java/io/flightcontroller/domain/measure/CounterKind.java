package io.flightcontroller.domain.measure;

import io.flightcontroller.domain.engine.CaseState;
import io.flightcontroller.domain.engine.MeasureMachine;
import io.flightcontroller.domain.event.ProcessEvent;

/** {@code counter}: the running total of the {@code count} events seen for a key, emitted on each of them. */
final class CounterKind extends KindRules {
    private static final long serialVersionUID = 1L;

    @Override
    public MeasureKind resultKind() {
        return MeasureKind.COUNTER;
    }

    @Override
    public EventsField eventsField() {
        return EventsField.COUNT;
    }

    @Override
    public boolean keepsHistory(MeasureDefinition def) {
        return true;
    }

    @Override
    public void validate(MeasureDefinition.Builder b, String n) {
        if (b.countTypes().isEmpty() && b.startTypes().isEmpty()) {
            throw new InvalidMeasureException(n, "count", "needs at least one event type to count");
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
        if (machine.getDefinition().getCount().contains(e.getEventType())) {
            s.total++;
            out.measurement(machine.single(caseKey, e, (int) Math.min(Integer.MAX_VALUE, s.total), s.total));
        }
    }
}
