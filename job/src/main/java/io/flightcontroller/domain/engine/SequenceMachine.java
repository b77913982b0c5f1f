package io.flightcontroller.domain.engine;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.event.EventTimes;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.KindRules;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasureKind;
import io.flightcontroller.domain.measure.SequenceStep;
import io.flightcontroller.domain.measure.Slo;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import io.flightcontroller.domain.result.Severity;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The measuring rules of one {@link MeasureKind#SEQUENCE} measure for one case key's {@link SequenceCase}: what a
 * pattern matcher's partial matches, complete matches and timeouts mean in leads, verdicts and alerts. The matching
 * itself (which event is step k) is the matcher's: it hands over the case's steps in order; this class decides.
 *
 * <p>Shape (times epoch ms UTC, durations ms; n steps, hop k = step k-1 to step k, k = 2..n):
 * <ul>
 *   <li>The case starts at its first step-1 event; step k is the first step-k event after step k-1 (relaxed
 *       contiguity; a tie arriving later counts, lead 0). A later step-1 event never starts a second sequence.</li>
 *   <li>Each hop reached writes a lead row {@code hopMeasure(k)} = t_k - t_(k-1) as soon as it is reached, also if the
 *       sequence never completes; the last step also writes the whole sequence's row {@code NAME} = t_n - t_1. Rows
 *       are {@code lead_time} measurements, cycle 1, with the first step's correlation id and dimensions.</li>
 *   <li>Limits are inclusive: hop k's deadline is t_(k-1) + within_k, the sequence's t_1 + within. When the earlier
 *       of the two pending deadlines passes without step k, one TIMEOUT alert names the missing step; the case is
 *       given up (an SLO still open counts bad at the deadline). A step-k event after that, in event-time order,
 *       writes a correction row ({@code afterTimeout}) with the true lead, and so do the steps after it.</li>
 *   <li>SLO (whole sequence): good when the last step is at or before t_1 + threshold. When t_1 + threshold passes
 *       first, one BREACH alert and one bad outcome at that time (proactive); the completion still writes its row,
 *       marked bad, as {@link MeasureMachine} does for {@code lead_time}.</li>
 *   <li>Late events (behind the watermark) are never matched: the step a case is missing, arriving late, is applied
 *       as a correction (flagged late) once the case has timed out.</li>
 * </ul>
 */
public final class SequenceMachine implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final Comparator<ProcessEvent> BY_TIME =
            Comparator.comparingLong(ProcessEvent::getTimeMs).thenComparingLong(ProcessEvent::getSeq);

    private final MeasureDefinition def;
    private final int n;
    /** Hop limit per step index (0-based; index 0 unused), -1 for none. */
    private final long[] hopLimitMs;

    private final long withinMs;

    /**
     * @param def a sequence measure
     * @throws IllegalArgumentException when the measure is not a sequence
     */
    public SequenceMachine(MeasureDefinition def) {
        if (def.getKind().rules().engine() != KindRules.Engine.CEP) {
            throw new IllegalArgumentException("measure '" + def.getName() + "' is not a sequence");
        }
        this.def = def;
        this.n = def.getSteps().size();
        this.hopLimitMs = new long[n];
        for (int i = 0; i < n; i++) {
            Duration within = def.getSteps().get(i).getWithin();
            hopLimitMs[i] = within == null ? -1 : within.toMillis();
        }
        this.withinMs = def.getWithin() == null ? -1 : def.getWithin().toMillis();
    }

    /** @return the measure */
    public MeasureDefinition getDefinition() {
        return def;
    }

    /**
     * The case's steps as the matcher has matched them so far (its partial match, or the whole match): starts the
     * case if needed and writes the row of every hop reached since the last call (and the whole sequence's row when
     * the last step is among them).
     *
     * @param caseKey the case key
     * @param c the case state
     * @param steps the events of steps 1..k in order, k &gt;= 1
     * @param out receives results
     */
    public void progress(String caseKey, SequenceCase c, List<ProcessEvent> steps, MeasureMachine.Listener out) {
        if (steps.isEmpty()) {
            return;
        }
        if (c.phase == CasePhase.IDLE) {
            start(caseKey, c, steps.get(0));
        }
        if (c.phase != CasePhase.OPEN) {
            return;
        }
        for (int i = c.reached; i < steps.size() && i < n; i++) {
            reach(caseKey, c, steps.get(i), false, false, out);
        }
    }

    /**
     * The matcher gave the case up: a limit passed without the next step. Writes the hops reached, then the breach if
     * its threshold came first, then one TIMEOUT alert naming the missing step at the earlier pending deadline.
     *
     * @param caseKey the case key
     * @param c the case state
     * @param steps the events of the steps reached, in order
     * @param out receives results
     */
    public void timedOut(String caseKey, SequenceCase c, List<ProcessEvent> steps, MeasureMachine.Listener out) {
        progress(caseKey, c, steps, out);
        if (c.phase != CasePhase.OPEN) {
            return;
        }
        long deadline = nextTimeout(c);
        if (deadline == Long.MAX_VALUE) {
            return; // a matcher timeout without a limit of ours: nothing to decide
        }
        fireBreach(caseKey, c, deadline, out);
        timeout(caseKey, c, deadline, out);
    }

    /**
     * Decides what depends on the watermark alone, once the matcher has seen every event up to it: for an open case
     * the SLO breach and the limit the watermark has reached (a step at exactly the limit would have been matched, so
     * reaching it without the step is the timeout; the matcher's exclusive window would notice only 1 ms later); after
     * a timeout, the buffered events the watermark has passed (corrections, in event-time order, ties in arrival
     * order).
     *
     * @param caseKey the case key
     * @param c the case state
     * @param watermark current watermark, epoch ms
     * @param out receives results
     */
    public void advanceTo(String caseKey, SequenceCase c, long watermark, MeasureMachine.Listener out) {
        if (c.phase == CasePhase.OPEN) {
            long deadline = nextTimeout(c);
            fireBreach(caseKey, c, Math.min(deadline, watermark), out);
            if (deadline <= watermark) {
                timeout(caseKey, c, deadline, out);
            }
            return;
        }
        if (!c.hasPending()) {
            return;
        }
        List<ProcessEvent> due = new ArrayList<>();
        for (Iterator<ProcessEvent> it = c.pending.iterator(); it.hasNext(); ) {
            ProcessEvent e = it.next();
            if (e.getTimeMs() <= watermark) {
                due.add(e);
                it.remove();
            }
        }
        if (c.pending.isEmpty()) {
            c.pending = null;
        }
        Collections.sort(due, BY_TIME);
        for (ProcessEvent e : due) {
            correct(caseKey, c, e, out);
        }
    }

    /**
     * Keeps an event the matcher does not see: an on-time event after a timeout, or a late event (behind the
     * watermark; {@link ProcessEvent#isLate()}) of a case still open or timed out. Once the case has timed out and the
     * watermark has passed it, it is applied in event-time order (see {@link #advanceTo}): the step the case is
     * missing writes a correction (flagged late when it was). Only types of the steps not reached yet are kept; events
     * of a completed case are not (one sequence per case).
     *
     * @param c the case state
     * @param e the event
     * @return whether it was kept
     */
    public boolean buffer(SequenceCase c, ProcessEvent e) {
        boolean kept = c.phase == CasePhase.TIMED_OUT || c.phase == CasePhase.OPEN && e.isLate();
        if (!kept || !notReachedStep(c, e)) {
            return false;
        }
        if (c.pending == null) {
            c.pending = new ArrayList<>(2);
        }
        c.pending.add(e);
        return true;
    }

    private boolean notReachedStep(SequenceCase c, ProcessEvent e) {
        for (int i = c.reached; i < n; i++) {
            if (def.getSteps().get(i).getTypes().contains(e.getEventType())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The SLO threshold of the open case, when it is still to be judged.
     *
     * @param c the case state
     * @return epoch ms, or {@link Long#MAX_VALUE}
     */
    public long nextBreach(SequenceCase c) {
        Slo slo = def.getSlo();
        if (c.phase != CasePhase.OPEN || slo == null || c.breached) {
            return Long.MAX_VALUE;
        }
        return c.startMs + slo.getThreshold().toMillis();
    }

    /**
     * The earlier pending limit of the open case: the hop to its next step, or the whole sequence.
     *
     * @param c the case state
     * @return epoch ms (inclusive: a step at this time is in time), or {@link Long#MAX_VALUE}
     */
    public long nextTimeout(SequenceCase c) {
        if (c.phase != CasePhase.OPEN || c.reached >= n) {
            return Long.MAX_VALUE;
        }
        long t = Long.MAX_VALUE;
        if (hopLimitMs[c.reached] >= 0) {
            t = c.stepMs[c.reached - 1] + hopLimitMs[c.reached];
        }
        if (withinMs >= 0) {
            t = Math.min(t, c.startMs + withinMs);
        }
        return t;
    }

    /**
     * @param c the case state
     * @return the earliest event time buffered for a correction of a timed-out case, or {@link Long#MAX_VALUE}
     */
    public long nextPending(SequenceCase c) {
        long t = Long.MAX_VALUE;
        if (c.phase == CasePhase.TIMED_OUT && c.pending != null) {
            for (ProcessEvent e : c.pending) {
                t = Math.min(t, e.getTimeMs());
            }
        }
        return t;
    }

    /**
     * When the state may be dropped: never while the case is open or events wait; a closed case after
     * {@code retentionMs} (kept that long for late corrections and to ignore a repeated first step); a state that
     * never started at once.
     *
     * @param c the case state
     * @param retentionMs retention after completion or timeout, ms
     * @return epoch ms from which the state may be cleared, or {@link Long#MAX_VALUE} for never
     */
    public long disposableFrom(SequenceCase c, long retentionMs) {
        if (c.phase == CasePhase.OPEN || c.hasPending()) {
            return Long.MAX_VALUE;
        }
        if (c.phase == CasePhase.IDLE) {
            return Long.MIN_VALUE;
        }
        return c.closedAtMs + Math.min(retentionMs, Long.MAX_VALUE - c.closedAtMs);
    }

    /**
     * When a completed or timed-out case is released in event time, buffered corrections aside: its close plus the
     * retention. An event later than that finds no case (a first step starts a new one), as when the state was
     * cleared before the event arrived; so the result does not depend on whether the watermark passed the release
     * before the event arrived or in the same step after it (the rule of {@link MeasureMachine}'s release).
     *
     * @param c the case state
     * @param retentionMs retention after completion or timeout, ms
     * @return epoch ms, or {@link Long#MAX_VALUE} while the case is open or never started
     */
    public long releasedAt(SequenceCase c, long retentionMs) {
        if (!c.isClosed()) {
            return Long.MAX_VALUE;
        }
        return c.closedAtMs + Math.min(retentionMs, Long.MAX_VALUE - c.closedAtMs);
    }

    /**
     * What an open case is when a bounded input ends at {@code lastEventTimeMs} (the final watermark): after
     * {@link #advanceTo} it, the case is open if it still is.
     *
     * @param caseKey the case key
     * @param c the case state
     * @param lastEventTimeMs the last event time seen (the final watermark), epoch ms
     * @param out receives the breach or timeout
     * @return the open case, or null when the state holds no open case (any more)
     */
    public OpenCase endOfInput(String caseKey, SequenceCase c, long lastEventTimeMs, MeasureMachine.Listener out) {
        advanceTo(caseKey, c, lastEventTimeMs, out);
        if (c.phase != CasePhase.OPEN) {
            return null;
        }
        return OpenCase.of(
                def.getName(), caseKey, c.correlationId(caseKey), c.startMs, Math.max(0, lastEventTimeMs - c.startMs));
    }

    private void start(String caseKey, SequenceCase c, ProcessEvent first) {
        c.phase = CasePhase.OPEN;
        c.reached = 1;
        c.stepMs = new long[n];
        c.stepMs[0] = first.getTimeMs();
        c.startMs = first.getTimeMs();
        c.firstSeq = first.getSeq();
        c.correlationId = caseKey.equals(first.getCorrelationId()) ? null : first.getCorrelationId();
        c.dimensions = def.dimensionsOf(first);
        c.breached = false;
    }

    /** Step {@code c.reached + 1} is {@code e}: writes its hop and, at the last step, the whole sequence. */
    private void reach(
            String caseKey,
            SequenceCase c,
            ProcessEvent e,
            boolean afterTimeout,
            boolean late,
            MeasureMachine.Listener out) {
        int i = c.reached;
        long t = e.getTimeMs();
        if (!afterTimeout) {
            fireBreach(caseKey, c, t - 1, out); // a threshold strictly before the step was passed first
        }
        c.stepMs[i] = t;
        c.reached = i + 1;
        String hop = def.hopMeasure(i + 1);
        long hopLead = t - c.stepMs[i - 1];
        out.measurement(row(hop, caseKey, c, c.stepMs[i - 1], t, null, afterTimeout, late));
        out.outcome(Outcome.of(hop, t, null, false, hopLead));
        if (c.reached < n) {
            return;
        }
        long lead = t - c.startMs;
        Slo slo = def.getSlo();
        Boolean good = null;
        if (slo != null) {
            good = !afterTimeout && !c.breached && lead <= slo.getThreshold().toMillis();
            if (c.breached) {
                out.outcome(Outcome.of(def.getName(), t, Boolean.FALSE, false, lead));
            } else {
                c.breached = !good;
                out.outcome(Outcome.of(def.getName(), t, good, true, lead));
            }
        } else {
            out.outcome(Outcome.of(def.getName(), t, null, false, lead));
        }
        out.measurement(row(def.getName(), caseKey, c, c.startMs, t, good, afterTimeout, late));
        c.phase = CasePhase.DONE;
        c.closedAtMs = t;
        c.stepMs = null; // a done case only ignores repeats: keep the marker small
        c.dimensions = null;
        c.pending = null;
    }

    private boolean correct(String caseKey, SequenceCase c, ProcessEvent e, MeasureMachine.Listener out) {
        if (c.phase != CasePhase.TIMED_OUT
                || c.reached >= n
                || !def.getSteps().get(c.reached).getTypes().contains(e.getEventType())
                || e.getTimeMs() < c.stepMs[c.reached - 1]) {
            return false;
        }
        reach(caseKey, c, e, true, e.isLate(), out);
        return true;
    }

    private void fireBreach(String caseKey, SequenceCase c, long upTo, MeasureMachine.Listener out) {
        long at = nextBreach(c);
        if (at > upTo) {
            return;
        }
        c.breached = true;
        out.outcome(Outcome.of(def.getName(), at, Boolean.FALSE, true, null));
        out.alert(alert(
                Alert.Kind.BREACH,
                Severity.TICKET,
                caseKey,
                c,
                at,
                null,
                "not completed within SLO threshold " + def.getSlo().getThreshold()));
    }

    private void timeout(String caseKey, SequenceCase c, long deadline, MeasureMachine.Listener out) {
        SequenceStep missing = def.getSteps().get(c.reached);
        boolean hop = hopLimitMs[c.reached] >= 0 && c.stepMs[c.reached - 1] + hopLimitMs[c.reached] == deadline;
        if (def.getSlo() != null && !c.breached) {
            c.breached = true;
            out.outcome(Outcome.of(def.getName(), deadline, Boolean.FALSE, true, null));
        }
        String what = "did not reach step " + (c.reached + 1) + " (" + missing.typesText() + ") within "
                + (hop ? missing.getWithin() + " of step " + c.reached : def.getWithin() + " of its first step");
        out.alert(alert(Alert.Kind.TIMEOUT, Severity.INFO, caseKey, c, deadline, missing.typesText(), what));
        c.phase = CasePhase.TIMED_OUT;
        c.closedAtMs = deadline;
    }

    private Alert alert(
            Alert.Kind kind,
            Severity severity,
            String caseKey,
            SequenceCase c,
            long deadline,
            String missingStep,
            String what) {
        Alert a = new Alert();
        a.setKind(kind);
        a.setSeverity(severity);
        a.setMeasure(def.getName());
        a.setCaseKey(caseKey);
        a.setCorrelationId(c.correlationId(caseKey));
        a.setStartMs(c.startMs);
        a.setDeadlineMs(deadline);
        a.setObservedLeadMs(deadline - c.startMs); // the case's age at its deadline: a function of the data alone
        if (def.getSlo() != null) {
            a.setObjective(def.getSlo().getObjective());
        }
        a.setMissingStep(missingStep);
        a.setAlertId(def.getName() + "/" + caseKey + "/1/" + kind.name().toLowerCase(Locale.ROOT));
        a.setSubject("[" + kind + "] " + def.getName() + ": case " + caseKey + " " + what + " (started "
                + EventTimes.iso(c.startMs) + ", deadline " + EventTimes.iso(deadline) + ")");
        return a;
    }

    private Measurement row(
            String measure,
            String caseKey,
            SequenceCase c,
            long startMs,
            long endMs,
            Boolean good,
            boolean afterTimeout,
            boolean late) {
        Measurement m = new Measurement();
        m.setMeasure(measure);
        m.setKind(def.getKind().rules().resultKind());
        m.setCaseKey(caseKey);
        m.setCorrelationId(c.correlationId(caseKey));
        m.setCycle(1);
        m.setStartMs(startMs);
        m.setEndMs(endMs);
        m.setValue(endMs - startMs);
        m.setGood(good);
        m.setLate(late);
        m.setAfterTimeout(afterTimeout);
        m.setDimensions(c.dimensions);
        return m;
    }
}
