package io.flightcontroller.domain;

import java.io.Serializable;

/**
 * The event-time clock of one input (a file, a split, a Kinesis shard): how far event time has provably advanced, so
 * that ONE event far ahead of the others (a clock set to 2099, a week-ahead typo, milliseconds read as seconds)
 * cannot drag the watermark with it and turn every other case's events into late ones.
 *
 * <p>Rule. The clock keeps the {@code k} largest DISTINCT event times seen, {@code t1 > t2 > ... > tk}. The
 * corroborated time {@code C} is {@code tk}: at least {@code k} different instants have been seen at or after it.
 * The <b>anchor</b> is the largest of {@code t1..tk} that lies within the out-of-orderness bound of {@code C}
 * ({@code ti <= C + outOfOrderness}): an ordinary stream whose steps are within the bound moves exactly as a plain
 * bounded-out-of-orderness watermark does ({@code anchor = t1}); a jump larger than the bound is held back until
 * {@code k - 1} other instants follow it. Distinct times, so a duplicated outlier (EventBridge delivers at least
 * once) does not corroborate itself.
 *
 * <p>Shape: all times epoch ms UTC. {@link #watermark()} = anchor - outOfOrderness - 1 (Flink's
 * {@code BoundedOutOfOrdernessWatermarks} convention: an event at the watermark is late), {@link Long#MIN_VALUE}
 * before {@code k} distinct times are seen. {@link #endOfInput()} = the anchor (at the end of a bounded input nothing
 * more can arrive, so no bound is subtracted); with fewer than {@code k} distinct times, the largest time. With
 * {@code k = 1} the clock is the plain maximum (used for a file sorted by event time, where there is no "ahead").
 * Memory: {@code k} longs and counts.
 */
public final class CorroboratedClock implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Distinct instants that must be seen before a jump beyond the out-of-orderness bound moves the watermark. */
    public static final int DEFAULT_CORROBORATION = 2;

    private final long outOfOrdernessMs;
    private final long[] top;      // distinct times, descending; top[0] = largest
    private final long[] counts;   // events seen at top[i]
    private int size;

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
        this.top = new long[corroboration];
        this.counts = new long[corroboration];
    }

    /**
     * Records one event time.
     *
     * @param t event time, epoch ms
     */
    public void observe(long t) {
        int i = 0;
        while (i < size && top[i] > t) {
            i++;
        }
        if (i < size && top[i] == t) {
            counts[i]++;
            return;
        }
        if (i >= top.length) {
            return; // below the k largest: it changes nothing
        }
        int last = Math.min(size, top.length - 1);
        for (int j = last; j > i; j--) {
            top[j] = top[j - 1];
            counts[j] = counts[j - 1];
        }
        top[i] = t;
        counts[i] = 1;
        if (size < top.length) {
            size++;
        }
    }

    /** @return the anchor (see class doc), or {@link Long#MIN_VALUE} before {@code k} distinct times */
    public long anchor() {
        if (size < top.length) {
            return Long.MIN_VALUE;
        }
        return anchorOf(size);
    }

    private long anchorOf(int n) {
        long corroborated = top[n - 1];
        for (int i = 0; i < n; i++) {
            if (top[i] - corroborated <= outOfOrdernessMs) {
                return top[i];
            }
        }
        return corroborated;
    }

    /** @return the watermark: anchor - out-of-orderness - 1, or {@link Long#MIN_VALUE} */
    public long watermark() {
        long a = anchor();
        return a == Long.MIN_VALUE ? Long.MIN_VALUE : a - outOfOrdernessMs - 1;
    }

    /**
     * The last event time a bounded input has reached: the anchor, or with fewer than {@code k} distinct times the
     * largest seen.
     *
     * @return epoch ms, or {@link Long#MIN_VALUE} when nothing was observed
     */
    public long endOfInput() {
        if (size == 0) {
            return Long.MIN_VALUE;
        }
        return size < top.length ? top[0] : anchorOf(size);
    }

    /** @return events observed after {@link #endOfInput()} (never corroborated, so never applied), e.g. 1 outlier */
    public long heldBackAtEnd() {
        long end = endOfInput();
        long n = 0;
        for (int i = 0; i < size; i++) {
            if (top[i] > end) {
                n += counts[i];
            }
        }
        return n;
    }
}
