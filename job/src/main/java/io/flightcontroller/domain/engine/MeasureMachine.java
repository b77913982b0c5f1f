package io.flightcontroller.domain.engine;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.event.EventTimes;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.KindRules;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.Slo;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import io.flightcontroller.domain.result.Severity;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The matching and measuring rules of one measure, applied to one case key's {@link CaseState} in event time.
 *
 * <p>Events are buffered with {@link #buffer} and applied by {@link #advanceTo} once the watermark has passed them, in
 * event-time order with ties kept in arrival order (a stable sort), so the result does not depend on arrival order
 * within the out-of-orderness bound. Definitions:
 * <ul>
 *   <li>Lead of a case = from its FIRST start event to the first end event after it (an end at the same instant,
 *       arriving later, counts with lead 0). Events of other types in between are ignored (relaxed contiguity). A
 *       repeated start does not restart the clock; {@code restart_on} events do.</li>
 *   <li>Deadlines are inclusive for the case: an end at exactly start + T is in time. A deadline fires when the
 *       watermark reaches start + T (all events at or before it have been seen) and the end has not arrived.</li>
 *   <li>SLO breach: when the watermark reaches start + threshold without the end, one BREACH alert and one bad
 *       outcome (proactive). A completion at or before the threshold is one good outcome. A later completion still
 *       yields its lead (marked bad) but no second verdict.</li>
 *   <li>Timeout: when the watermark reaches start + timeout without the end, one TIMEOUT alert and the case becomes
 *       timed out; an end arriving afterwards yields a correction measurement ({@code afterTimeout}) with the true
 *       duration.</li>
 *   <li>Late events (at or behind the watermark) are not matched, with one exception: a late end event completes a
 *       case that is still open or timed out and started at or before it (flagged {@code late}).</li>
 *   <li>An end event when no cycle is open and none completed is an orphan.</li>
 * </ul>
 */
public final class MeasureMachine implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Receives what the machine produces. */
    public interface Listener {
        /** A completed lead, a cycle count, a counter value or an expression value. */
        void measurement(Measurement m);

        /** A TIMEOUT or BREACH alert. */
        void alert(Alert a);

        /** An SLO outcome or completed lead for aggregates and burn rates. */
        void outcome(Outcome o);

        /** An end event with no open cycle. */
        void orphan(ProcessEvent e);

        /** A value-kind event whose expression gave no value. */
        void noValue(ProcessEvent e);

        /** A late event that completed a case (flagged late); its rows came through the other methods. */
        default void lateApplied(ProcessEvent e) {}
    }

    private static final Comparator<ProcessEvent> BY_TIME =
            Comparator.comparingLong(ProcessEvent::getTimeMs).thenComparingLong(ProcessEvent::getSeq);

    /**
     * The order in which buffered events are applied: by {@link #dueAt}; at one time the on-time events first (a late
     * event is judged against the case as it stood at the watermark it arrived behind, which includes the on-time
     * events up to that watermark); then by time and input sequence.
     */
    private static final Comparator<ProcessEvent> BY_DUE = Comparator.comparingLong(MeasureMachine::dueAt)
            .thenComparingInt(e -> e.isLate() ? 1 : 0)
            .thenComparing(BY_TIME);

    /**
     * @param e a buffered event
     * @return the event time at which it is applied: its own time when on time, the watermark it arrived behind when
     *     late
     */
    public static long dueAt(ProcessEvent e) {
        return e.isLate() ? e.getLateWatermark() : e.getTimeMs();
    }

    private final MeasureDefinition def;
    /** How long a closed case is kept, ms; {@link Long#MAX_VALUE}: for ever (never released while advancing). */
    private final long retentionMs;
    /** The subject's "what" of a timeout alert, made once (a duration's text per alert was CPU per case). */
    private final String timeoutText;
    /** The same for a breach alert; null without an SLO. */
    private final String breachText;

    /** @param def the measure; closed cases are never released while advancing (see the other constructor) */
    public MeasureMachine(MeasureDefinition def) {
        this(def, Long.MAX_VALUE);
    }

    /**
     * @param def the measure
     * @param retentionMs how long a completed or timed-out case is kept, ms: an event later than that, in event time,
     *     finds the case released whatever the watermark's steps (see {@link #releasedAt})
     */
    public MeasureMachine(MeasureDefinition def, long retentionMs) {
        this.def = def;
        this.retentionMs = retentionMs;
        this.timeoutText = "not completed within timeout " + def.getTimeout();
        this.breachText = def.getSlo() == null
                ? null
                : "not completed within SLO threshold " + def.getSlo().getThreshold();
    }

    /** @return the measure */
    public MeasureDefinition getDefinition() {
        return def;
    }

    /**
     * Buffers an event until the watermark passes {@link #dueAt} it: an on-time event its own time, a late one the
     * watermark it arrived behind (so it is applied after every on-time event up to that watermark, whichever
     * channel each came through: the same result at any parallelism).
     *
     * @param s the case state
     * @param e the event
     */
    public void buffer(CaseState s, ProcessEvent e) {
        if (s.pending == null) {
            s.pending = new ArrayList<>(2);
        }
        s.pending.add(e);
    }

    /**
     * Applies every buffered event at or before {@code watermark} in event-time order, firing deadlines that fall
     * strictly before each event, then every deadline at or before {@code watermark}.
     *
     * @param caseKey the case key
     * @param s the case state
     * @param watermark current watermark, epoch ms
     * @param out receives results
     */
    public void advanceTo(String caseKey, CaseState s, long watermark, Listener out) {
        if (s.hasPending()) {
            List<ProcessEvent> due = new ArrayList<>();
            for (Iterator<ProcessEvent> it = s.pending.iterator(); it.hasNext(); ) {
                ProcessEvent e = it.next();
                if (dueAt(e) <= watermark) {
                    due.add(e);
                    it.remove();
                }
            }
            if (s.pending.isEmpty()) {
                s.pending = null;
            }
            Collections.sort(due, BY_DUE); // ties in input order (sequence), whatever channel they came through
            for (ProcessEvent e : due) {
                if (e.isLate()) {
                    // the case as it stood at the watermark the event arrived behind
                    long behind = e.getLateWatermark();
                    fireDeadlines(caseKey, s, behind, out);
                    if (applyLate(caseKey, s, e, new OutcomesNotBefore(out, behind + 1))) {
                        out.lateApplied(e);
                    }
                    continue;
                }
                fireDeadlines(caseKey, s, e.getTimeMs() - 1, out);
                if (releasedAt(s) < e.getTimeMs()) {
                    s.release(); // the case was released before this event, whatever the watermark's steps
                }
                apply(caseKey, s, e, false, out);
            }
        }
        fireDeadlines(caseKey, s, watermark, out);
    }

    /**
     * Times a late correction's outcomes no earlier than just after the watermark it arrived behind, where it became
     * known (the window of its end time may already be reported); its lead row keeps its true end time.
     */
    private static final class OutcomesNotBefore implements Listener {
        private final Listener out;
        private final long notBefore;

        OutcomesNotBefore(Listener out, long notBefore) {
            this.out = out;
            this.notBefore = notBefore;
        }

        @Override
        public void measurement(Measurement m) {
            out.measurement(m);
        }

        @Override
        public void alert(Alert a) {
            out.alert(a);
        }

        @Override
        public void outcome(Outcome o) {
            if (o.getTimeMs() < notBefore) {
                o.setTimeMs(notBefore);
            }
            out.outcome(o);
        }

        @Override
        public void orphan(ProcessEvent e) {
            out.orphan(e);
        }

        @Override
        public void noValue(ProcessEvent e) {
            out.noValue(e);
        }
    }

    /**
     * Applies a late event (at or behind the watermark): only an end event for a case still open or timed out that
     * started at or before it has an effect (it completes the case, flagged late).
     *
     * @param caseKey the case key
     * @param s the case state
     * @param e the late event
     * @param out receives results
     * @return whether the event completed a case
     */
    public boolean applyLate(String caseKey, CaseState s, ProcessEvent e, Listener out) {
        if (releasedAt(s) <= e.getLateWatermark()) {
            s.release(); // released when the watermark the event arrived behind passed the retention
        }
        if (def.getKind().rules().hasCycles()
                && def.getEnd().contains(e.getEventType())
                && (s.phase == CasePhase.OPEN || s.phase == CasePhase.TIMED_OUT)
                && e.getTimeMs() >= s.startMs) {
            complete(caseKey, s, e, s.phase == CasePhase.TIMED_OUT, true, out);
            return true;
        }
        return false;
    }

    /**
     * The next event time at which {@link #advanceTo} has work: the earliest buffered event or pending deadline.
     *
     * @param s the case state
     * @return epoch ms, or {@link Long#MAX_VALUE} when nothing is pending
     */
    public long nextDueTime(CaseState s) {
        long t = nextDeadline(s);
        if (s.pending != null) {
            for (ProcessEvent e : s.pending) {
                t = Math.min(t, dueAt(e));
            }
        }
        return t;
    }

    /**
     * The next deadline (SLO threshold or timeout) of the open case, ignoring buffered events.
     *
     * @param s the case state
     * @return epoch ms, or {@link Long#MAX_VALUE} when no deadline is pending
     */
    public long nextDeadline(CaseState s) {
        long t = Long.MAX_VALUE;
        if (s.phase == CasePhase.OPEN) {
            Slo slo = def.getSlo();
            if (slo != null && !s.breached) {
                t = Math.min(t, s.startMs + slo.getThreshold().toMillis());
            }
            if (def.getTimeout() != null) {
                t = Math.min(t, s.startMs + def.getTimeout().toMillis());
            }
        }
        return t;
    }

    /**
     * When the state may be dropped: never while events are buffered or a cycle is open; for measures that keep
     * per-key history (every cycle, counters, values) never; a completed or timed-out case after
     * {@code retentionMs} (kept that long for late corrections and to ignore repeated starts); a state that never
     * started at once.
     *
     * @param s the case state
     * @param retentionMs retention after completion or timeout, ms
     * @return epoch ms from which the state may be cleared, or {@link Long#MAX_VALUE} for never
     */
    public long disposableFrom(CaseState s, long retentionMs) {
        if (s.hasPending() || s.phase == CasePhase.OPEN) {
            return Long.MAX_VALUE;
        }
        if (s.cycle == 0 && s.total == 0) {
            return Long.MIN_VALUE;
        }
        if (def.getKind().rules().keepsHistory(def)) {
            return Long.MAX_VALUE;
        }
        return s.closedAtMs + retentionMs;
    }

    /**
     * When a completed or timed-out case is released in event time, buffered events aside: its close plus this
     * machine's retention. An event later than that finds no case (an end is an orphan, a start opens a new case), as
     * when the state was cleared before the event arrived; so the result does not depend on whether the watermark
     * passed the release before the event arrived or in the same step after it (periodic watermarks, a reader
     * catching up). Before, a buffered event held the release back and was applied to the closed case.
     *
     * @param s the case state
     * @return epoch ms, or {@link Long#MAX_VALUE} when the case is open, never started, keeps history or is kept
     *     for ever
     */
    long releasedAt(CaseState s) {
        if (retentionMs == Long.MAX_VALUE
                || s.phase == CasePhase.OPEN
                || (s.cycle == 0 && s.total == 0)
                || def.getKind().rules().keepsHistory(def)) {
            return Long.MAX_VALUE;
        }
        return s.closedAtMs + retentionMs;
    }

    /**
     * Reports an open case when a bounded input ends.
     *
     * @param caseKey the case key
     * @param s the case state
     * @param lastEventTimeMs last event time seen (the final watermark), epoch ms
     * @return the open case, or null when the state holds no open cycle
     */
    public OpenCase openCase(String caseKey, CaseState s, long lastEventTimeMs) {
        if (s.phase != CasePhase.OPEN) {
            return null;
        }
        return OpenCase.of(
                def.getName(), caseKey, s.correlationId(caseKey), s.startMs, Math.max(0, lastEventTimeMs - s.startMs));
    }

    /**
     * Fires deadlines at or before event time {@code t} (the watermark, or just before the next due event); the
     * alert's observed lead is {@code deadline - start}, the case's age at the deadline (never the watermark at which
     * the deadline happened to be noticed, so a replay gives the same alert whatever its watermarks).
     */
    private void fireDeadlines(String caseKey, CaseState s, long t, Listener out) {
        if (s.phase != CasePhase.OPEN) {
            return;
        }
        Slo slo = def.getSlo();
        long breachAt =
                slo != null && !s.breached ? s.startMs + slo.getThreshold().toMillis() : Long.MAX_VALUE;
        long timeoutAt = def.getTimeout() != null ? s.startMs + def.getTimeout().toMillis() : Long.MAX_VALUE;
        if (breachAt <= t && breachAt <= timeoutAt) {
            breach(caseKey, s, breachAt, t, out);
        }
        if (timeoutAt <= t) {
            if (slo != null && !s.breached) {
                s.breached = true;
                out.outcome(Outcome.of(def.getName(), timeoutAt, Boolean.FALSE, true, null));
            }
            s.phase = CasePhase.TIMED_OUT;
            s.closedAtMs = timeoutAt;
            out.alert(caseAlert(Alert.Kind.TIMEOUT, Severity.INFO, caseKey, s, timeoutAt, t, timeoutText));
        }
    }

    private void breach(String caseKey, CaseState s, long breachAt, long now, Listener out) {
        s.breached = true;
        out.outcome(Outcome.of(def.getName(), breachAt, Boolean.FALSE, true, null));
        out.alert(caseAlert(Alert.Kind.BREACH, Severity.TICKET, caseKey, s, breachAt, now, breachText));
    }

    private Alert caseAlert(
            Alert.Kind kind, Severity severity, String caseKey, CaseState s, long deadline, long now, String what) {
        Alert a = new Alert();
        a.setKind(kind);
        a.setSeverity(severity);
        a.setMeasure(def.getName());
        a.setCaseKey(caseKey);
        a.setCorrelationId(s.correlationId(caseKey));
        a.setStartMs(s.startMs);
        a.setDeadlineMs(deadline);
        a.setObservedLeadMs(deadline - s.startMs); // the case's age at its deadline: a function of the data alone
        if (def.getSlo() != null) {
            a.setObjective(def.getSlo().getObjective());
        }
        a.setAlertId(def.getName() + "/" + caseKey + "/" + s.cycle + "/"
                + kind.name().toLowerCase(java.util.Locale.ROOT));
        a.setSubject("[" + kind + "] " + def.getName() + ": case " + caseKey + " " + what + " (started "
                + EventTimes.iso(s.startMs) + ", deadline " + EventTimes.iso(deadline) + ")");
        return a;
    }

    private void apply(String caseKey, CaseState s, ProcessEvent e, boolean late, Listener out) {
        def.getKind().rules().apply(this, caseKey, s, e, late, out);
    }

    /**
     * The cycle rules of the kinds with cycles ({@link KindRules#hasCycles()}): a start opens a cycle when none is open
     * (or each time for every-cycle measures), an end completes it, {@code restart_on} restarts its clock, {@code count}
     * events are counted; an end with no open or timed-out cycle is an orphan.
     */
    public void applyCycle(String caseKey, CaseState s, ProcessEvent e, boolean late, Listener out) {
        String type = e.getEventType();
        boolean isStart = def.getStart().contains(type);
        boolean isEnd = def.getEnd().contains(type);
        if (s.phase == CasePhase.OPEN) {
            if (isEnd) {
                complete(caseKey, s, e, false, late, out);
                return;
            }
            if (def.getRestartOn().contains(type)) {
                s.startMs = e.getTimeMs();
            }
            if (def.getCount().contains(type)) {
                s.cycleCount++;
            }
            return;
        }
        if (isStart && (s.phase == CasePhase.IDLE || def.isEveryCycle())) {
            s.phase = CasePhase.OPEN;
            s.cycle++;
            s.startMs = e.getTimeMs();
            s.correlationId = caseKey.equals(e.getCorrelationId()) ? null : e.getCorrelationId();
            s.dimensions = def.dimensionsOf(e);
            s.cycleCount = def.getCount().contains(type) ? 1 : 0;
            s.breached = false;
            return;
        }
        if (isEnd) {
            if (s.phase == CasePhase.TIMED_OUT) {
                complete(caseKey, s, e, true, late, out);
            } else if (s.phase == CasePhase.IDLE) {
                out.orphan(e);
            }
        }
    }

    private void complete(
            String caseKey, CaseState s, ProcessEvent e, boolean afterTimeout, boolean late, Listener out) {
        Measurement m = new Measurement();
        m.setMeasure(def.getName());
        m.setKind(def.getKind().rules().resultKind());
        m.setCaseKey(caseKey);
        m.setCorrelationId(s.correlationId(caseKey));
        m.setCycle(s.cycle);
        m.setStartMs(s.startMs);
        m.setEndMs(e.getTimeMs());
        m.setLate(late);
        m.setAfterTimeout(afterTimeout);
        m.setDimensions(s.dimensions);
        def.getKind().rules().completed(def, s, m, afterTimeout, out);
        out.measurement(m);
        s.phase = def.isEveryCycle() ? CasePhase.IDLE : CasePhase.DONE;
        s.closedAtMs = e.getTimeMs();
    }

    /** A measurement of one event (kinds without cycles): start and end at the event. */
    public Measurement single(String caseKey, ProcessEvent e, int seq, double value) {
        Measurement m = new Measurement();
        m.setMeasure(def.getName());
        m.setKind(def.getKind().rules().resultKind());
        m.setCaseKey(caseKey);
        m.setCorrelationId(e.getCorrelationId());
        m.setCycle(seq);
        m.setStartMs(e.getTimeMs());
        m.setEndMs(e.getTimeMs());
        m.setValue(value);
        m.setDimensions(def.dimensionsOf(e));
        return m;
    }
}
