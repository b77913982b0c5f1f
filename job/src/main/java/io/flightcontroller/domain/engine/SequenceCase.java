package io.flightcontroller.domain.engine;

import io.flightcontroller.domain.event.ProcessEvent;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The state of one sequence measure for one case key, driven by {@link SequenceMachine}. Plain mutable fields so a
 * stream processor can keep it as keyed state; only {@link SequenceMachine} changes the matching fields.
 *
 * <p>Shape: phases {@link CasePhase#IDLE} (no step seen), {@link CasePhase#OPEN} (started; the pattern matcher holds its partial match),
 * {@link CasePhase#DONE} (every step reached, or the corrections after a timeout finished; kept for the retention so a
 * repeated first step is ignored), {@link CasePhase#TIMED_OUT} (a limit passed: the matcher has let the case go and later
 * steps are corrections). {@code stepMs[i]} is the event time (epoch ms UTC) of step i + 1 for
 * {@code i < reached}; times are epoch ms UTC.
 */
public class SequenceCase implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Current phase. */
    public CasePhase phase = CasePhase.IDLE;
    /** Number of steps reached (1 after the first step). */
    public int reached;
    /** Event time of the first step, epoch ms. */
    public long startMs;
    /** Event times of the steps reached; null once the case is done (nothing is derived from them any more). */
    public long[] stepMs;
    /** Input sequence number of the first step's event (tells the case's partial match from later repeats). */
    public long firstSeq;
    /** Correlation id of the first step's event; null when it equals the case key (saves a string). */
    public String correlationId;
    /** Dimensions taken from the first step's event. */
    public Map<String, String> dimensions;
    /** Whether the case was already counted bad against the SLO. */
    public boolean breached;
    /** When the case completed or timed out, epoch ms; retention counts from here. */
    public long closedAtMs;
    /** Events that arrived after a timeout, waiting for the watermark (time order decides); null when none. */
    public List<ProcessEvent> pending;
    /**
     * Event time (epoch ms) of the one timer the stream processor has registered for this case's own deadlines,
     * {@link Long#MAX_VALUE} for none. Kept by the processor, not the machine.
     */
    public long timerMs = Long.MAX_VALUE;

    public SequenceCase() {}

    /** @return whether the matcher has let the case go (completed or timed out) */
    public boolean isClosed() {
        return phase == CasePhase.DONE || phase == CasePhase.TIMED_OUT;
    }

    /** @return whether events wait for the watermark */
    public boolean hasPending() {
        return pending != null && !pending.isEmpty();
    }

    /**
     * @param caseKey the case key this state belongs to
     * @return the correlation id of the first step's event
     */
    public String correlationId(String caseKey) {
        return correlationId != null ? correlationId : caseKey;
    }
}
