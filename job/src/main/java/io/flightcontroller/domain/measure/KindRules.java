package io.flightcontroller.domain.measure;

import io.flightcontroller.domain.engine.CaseState;
import io.flightcontroller.domain.engine.MeasureMachine;
import io.flightcontroller.domain.engine.SequenceMachine;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.result.Measurement;
import java.io.Serializable;

/**
 * Everything that differs between measure kinds, in one object per kind ({@link MeasureKind#rules()}): which YAML
 * fields the kind takes and how they are checked, which engine runs it, how an event changes a case on the state
 * machine, what a completed cycle yields, and where its results go. Adding a kind is one subclass, its constant in
 * {@link MeasureKind} and its YAML fields; the definition, the YAML reader, the state machine, the JDBC and metric
 * sinks, the dashboards and the run summary ask the rules instead of switching on the kind.
 *
 * <p>Shape: the defaults describe a kind that takes none of the optional fields, runs on the state machine and writes
 * non-lead rows to the {@code measurements} table.
 */
public abstract class KindRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Which part of the job executes a kind. */
    public enum Engine {
        /** The keyed state machine ({@link MeasureMachine}). */
        STATE_MACHINE,
        /** A Flink CEP pattern per measure ({@link SequenceMachine} decides leads and verdicts). */
        CEP
    }

    /** What the YAML shorthand {@code events: [...]} means for a kind. */
    public enum EventsField {
        /** Not allowed: the kind names its events in other fields. */
        NOT_ALLOWED,
        /** The events are the start events. */
        START,
        /** The events are the counted events. */
        COUNT
    }

    /** @return the engine that runs this kind */
    public Engine engine() {
        return Engine.STATE_MACHINE;
    }

    /**
     * @return the kind written on this kind's result rows ({@link Measurement#getKind()}): itself, or
     *     {@link MeasureKind#LEAD_TIME} for kinds whose results are lead times
     */
    public abstract MeasureKind resultKind();

    /** @return whether the results are lead times in ms (the {@code lead_times} table, durations on dashboards) */
    public final boolean resultsAreLeads() {
        return resultKind() == MeasureKind.LEAD_TIME;
    }

    /** @return whether a case opens and completes (or times out) a cycle, so open cases and timeouts exist */
    public boolean hasCycles() {
        return false;
    }

    /** @return what {@code events} means in the YAML */
    public EventsField eventsField() {
        return EventsField.NOT_ALLOWED;
    }

    /** @return whether {@code timeout} applies */
    public boolean allowsTimeout() {
        return false;
    }

    /** @return whether {@code slo} applies */
    public boolean allowsSlo() {
        return false;
    }

    /** @return whether {@code expression} applies */
    public boolean allowsExpression() {
        return false;
    }

    /** @return whether {@code steps} and {@code within} apply */
    public boolean allowsSteps() {
        return false;
    }

    /**
     * Checks the kind's own fields of a definition being built, before the checks common to all kinds.
     *
     * @param b the builder
     * @param name the measure's name, for errors
     * @throws InvalidMeasureException naming the measure and the field
     */
    public abstract void validate(MeasureDefinition.Builder b, String name);

    /**
     * @param def the measure
     * @return whether a case's state is kept for good (per-key history), not dropped after the retention
     */
    public boolean keepsHistory(MeasureDefinition def) {
        return def.isEveryCycle();
    }

    /**
     * Applies one event, in event-time order, to a case on the state machine. The default is the cycle rules (start,
     * end, restart, count) shared by the kinds with cycles.
     */
    public void apply(
            MeasureMachine machine,
            String caseKey,
            CaseState s,
            ProcessEvent e,
            boolean late,
            MeasureMachine.Listener out) {
        machine.applyCycle(caseKey, s, e, late, out);
    }

    /**
     * Fills the value of a completed cycle's measurement and emits what the kind derives from it (outcomes).
     *
     * @param def the measure
     * @param s the case, before it is closed
     * @param m the measurement, with case, times and flags set
     * @param afterTimeout whether the cycle had timed out
     * @param out receives outcomes
     */
    public void completed(
            MeasureDefinition def, CaseState s, Measurement m, boolean afterTimeout, MeasureMachine.Listener out) {
        throw new UnsupportedOperationException(resultKind() + " has no cycles");
    }
}
