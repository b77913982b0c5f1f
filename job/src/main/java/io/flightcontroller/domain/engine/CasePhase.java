package io.flightcontroller.domain.engine;

/**
 * Where a case stands, for the state machine ({@link CaseState}) and for sequences ({@link SequenceCase}).
 *
 * <p>Shape: {@link #IDLE} -> {@link #OPEN} -> {@link #DONE} or {@link #TIMED_OUT}; an every-cycle measure returns to
 * {@link #IDLE} after each cycle. The ordinal is what the state serializers write (v1: an int 0..3), so the order of the
 * constants is part of the checkpoint format: append, never reorder.
 */
public enum CasePhase {
    /** No open cycle (no start or first step seen yet, or an every-cycle measure between cycles). */
    IDLE,
    /** Started, waiting for its end (or the next step). */
    OPEN,
    /** Completed; kept for late corrections and to ignore repeated starts until the retention passes. */
    DONE,
    /** A limit passed without the end; a late end still yields a correction. */
    TIMED_OUT;

    private static final CasePhase[] BY_ORDINAL = values();

    /**
     * @param ordinal a value written by a state serializer
     * @return the phase
     * @throws IllegalArgumentException for a value outside 0..3 (a corrupt or newer checkpoint)
     */
    public static CasePhase ofOrdinal(int ordinal) {
        if (ordinal < 0 || ordinal >= BY_ORDINAL.length) {
            throw new IllegalArgumentException(
                    "case phase " + ordinal + " is not one of 0.." + (BY_ORDINAL.length - 1));
        }
        return BY_ORDINAL[ordinal];
    }
}
