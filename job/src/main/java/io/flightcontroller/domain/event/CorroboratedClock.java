package io.flightcontroller.domain.event;

import java.io.Serializable;

/**
 * The event-time clock of one input (a file, a split, a Kinesis shard): how far event time has provably advanced, so
 * that an event far ahead of the others (a clock set to 2099, a week-ahead typo, milliseconds read as seconds) cannot
 * drag the watermark with it and turn every other case's events into late ones -- nor can two such events at
 * different places in the input corroborate each other.
 *
 * <p>Rule. The <b>corroborated time</b> {@code C} is the largest value, over the input so far, of the smallest of
 * {@code k} CONSECUTIVE arrivals with distinct times and of different cases (consecutive events of one case count
 * once, so a case's own burst ahead does not corroborate itself): time has reached {@code T} only once {@code k} arrivals in a row
 * were all at or after {@code T}. An event far ahead is followed by the ordinary stream again, so it never moves
 * {@code C}; a real gap (286 days without events in the BPIC 2013 log) is followed by more events after it, so it
 * does. Equal times are one instant (a duplicated outlier, EventBridge delivers at least once, does not corroborate
 * itself). The <b>anchor</b> is the largest of {@code C} and every event time that lay within the out-of-orderness
 * bound of {@code C} when it arrived: an ordinary stream whose steps are within the bound moves exactly as a plain
 * bounded-out-of-orderness watermark does; a jump beyond the bound waits for the next arrival.
 *
 * <p>Shape: all times epoch ms UTC. {@link #watermark()} = anchor - outOfOrderness - 1 (Flink's
 * {@code BoundedOutOfOrdernessWatermarks} convention: an event at the watermark is late), {@link Long#MIN_VALUE}
 * before {@code k} distinct arrivals. {@link #endOfInput()} = the anchor (at the end of a bounded input nothing more
 * can arrive, so no bound is subtracted); with fewer than {@code k} distinct arrivals, the largest time. With
 * {@code k = 1} the clock is the plain maximum (used for a file sorted by event time, where nothing is "ahead").
 * Memory: {@code k} longs, plus the times of events not yet passed by the anchor (counted for
 * {@link #heldBackAtEnd()}): the last one or two of an ordered stream, and the outliers.
 */
public final class CorroboratedClock implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Consecutive distinct arrivals needed before a jump beyond the out-of-orderness bound moves the watermark. */
    public static final int DEFAULT_CORROBORATION = 2;

    private final long outOfOrdernessMs;
    private final long[] recent; // the last k distinct arrival times, a ring
    private int size;
    private int next;
    private long corroborated = Long.MIN_VALUE;
    private long anchor = Long.MIN_VALUE;
    private long max = Long.MIN_VALUE;
    private long lastCase;
    private long anonymous = Long.MIN_VALUE / 2;
    private final java.util.TreeMap<Long, Long> ahead = new java.util.TreeMap<>(); // time -> events, above anchor

    /**
     * @param corroboration k &gt;= 1
     * @param outOfOrdernessMs bounded out-of-orderness, ms &gt;= 0
     */
    public CorroboratedClock(int corroboration, long outOfOrdernessMs) {
        if (corroboration < 1 || outOfOrdernessMs < 0) {
            throw new IllegalArgumentException("corroboration must be >= 1 and out-of-orderness >= 0, were "
                    + corroboration + ", " + outOfOrdernessMs);
        }
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.recent = new long[corroboration];
    }

    /**
     * Records one event time, in arrival order, of an event whose case is unknown (each counts as its own case).
     *
     * @param t event time, epoch ms
     */
    public void observe(long t) {
        observe(t, ++anonymous);
    }

    /**
     * Records one event time, in arrival order. Consecutive events of the SAME case (a case's own burst, an export
     * grouped by case) count as one arrival: a jump must be corroborated by another case.
     *
     * @param t event time, epoch ms
     * @param caseKey a key of the event's case (e.g. the correlation id's hash)
     */
    public void observe(long t, long caseKey) {
        max = Math.max(max, t);
        int last = (next - 1 + recent.length) % recent.length;
        boolean sameCase = recent.length > 1 && size > 0 && caseKey == lastCase; // k = 1: the plain maximum
        lastCase = caseKey;
        if (!sameCase && (size == 0 || recent[last] != t)) {
            recent[next] = t;
            next = (next + 1) % recent.length;
            size = Math.min(size + 1, recent.length);
            if (size == recent.length) {
                long min = Long.MAX_VALUE;
                for (long r : recent) {
                    min = Math.min(min, r);
                }
                corroborated = Math.max(corroborated, min);
            }
        }
        if (corroborated != Long.MIN_VALUE && t <= corroborated + outOfOrdernessMs) {
            anchor = Math.max(anchor, t);
        }
        anchor = Math.max(anchor, corroborated);
        if (t > anchor) {
            ahead.merge(t, 1L, Long::sum);
        }
        if (!ahead.isEmpty() && ahead.firstKey() <= anchor) {
            ahead.headMap(anchor, true).clear();
        }
    }

    /** @return the anchor (see class doc), or {@link Long#MIN_VALUE} before {@code k} distinct arrivals */
    public long anchor() {
        return anchor;
    }

    /** @return the watermark: anchor - out-of-orderness - 1, or {@link Long#MIN_VALUE} */
    public long watermark() {
        return anchor == Long.MIN_VALUE ? Long.MIN_VALUE : anchor - outOfOrdernessMs - 1;
    }

    /**
     * The last event time a bounded input has reached: the anchor, or with fewer than {@code k} distinct arrivals the
     * largest seen.
     *
     * @return epoch ms, or {@link Long#MIN_VALUE} when nothing was observed
     */
    public long endOfInput() {
        return anchor == Long.MIN_VALUE ? max : anchor;
    }

    /** @return events observed after {@link #endOfInput()}: never corroborated, e.g. 1 outlier */
    public long heldBackAtEnd() {
        long end = endOfInput();
        long n = 0;
        for (java.util.Map.Entry<Long, Long> e : ahead.tailMap(end, false).entrySet()) {
            n += e.getValue();
        }
        return n;
    }
}
