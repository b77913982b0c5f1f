package io.flightcontroller.domain.engine;

import io.flightcontroller.domain.event.ProcessEvent;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The state of one measure for one case key, driven by {@link MeasureMachine}. Plain mutable fields so a stream
 * processor can keep it as keyed state; only {@link MeasureMachine} changes it.
 *
 * <p>Phases: {@link CasePhase#IDLE} (no open cycle), {@link CasePhase#OPEN} (started, waiting for its end), {@link CasePhase#DONE} (completed;
 * kept for late corrections and to ignore repeated starts), {@link CasePhase#TIMED_OUT} (the timeout passed without an end).
 * Times are epoch ms UTC.
 */
public class CaseState implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Current phase. */
    public CasePhase phase = CasePhase.IDLE;
    /** Number of cycles started (1 after the first start). */
    public int cycle;
    /** Start of the open (or last) cycle, epoch ms. */
    public long startMs;
    /** When the last cycle completed or timed out, epoch ms; retention counts from here. */
    public long closedAtMs;
    /** Correlation id of the event that started the cycle; null when it equals the case key (saves a string). */
    public String correlationId;
    /** Dimensions taken from the event that started the cycle. */
    public Map<String, String> dimensions;
    /** Count events seen in the open cycle. */
    public long cycleCount;
    /** Running total of count events (kind counter). */
    public long total;
    /** Largest per-cycle count so far (kind cycle_count). */
    public long maxCycleCount;
    /** Whether the open (or last) cycle was already counted bad against the SLO. */
    public boolean breached;
    /**
     * Event time (epoch ms) of the one timer the stream processor has registered to call
     * {@link MeasureMachine#advanceTo} again, {@link Long#MAX_VALUE} for none. Kept by the processor, not the machine.
     */
    public long timerMs = Long.MAX_VALUE;
    /** Events waiting for the watermark, in arrival order; null when none (most of a case's life). */
    public List<ProcessEvent> pending;

    public CaseState() {}

    /**
     * Forgets the case as the retention releases it, keeping the buffered events and the processor's timer: the
     * state of a case key never started.
     */
    void release() {
        phase = CasePhase.IDLE;
        cycle = 0;
        startMs = 0;
        closedAtMs = 0;
        correlationId = null;
        dimensions = null;
        cycleCount = 0;
        total = 0;
        maxCycleCount = 0;
        breached = false;
    }

    /** @return whether events are waiting for the watermark */
    public boolean hasPending() {
        return pending != null && !pending.isEmpty();
    }

    /**
     * @param caseKey the case key this state belongs to
     * @return the correlation id of the event that started the cycle
     */
    public String correlationId(String caseKey) {
        return correlationId != null ? correlationId : caseKey;
    }
}
