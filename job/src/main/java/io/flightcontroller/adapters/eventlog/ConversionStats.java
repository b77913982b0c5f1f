package io.flightcontroller.adapters.eventlog;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Outcome of one {@link EventLogConverter#convert} call. Immutable.
 *
 * <p>Shape: the format read, the number of distinct cases among the written events, the number of events written,
 * the rows (CSV records / XES events) skipped per reason (keys are the {@code REASON_*} constants) and the
 * earliest and latest written event instants (null when nothing was written).
 */
public final class ConversionStats {
    /** The row has no (or a blank) case id. */
    public static final String REASON_MISSING_CASE = "missing case id";
    /** The row has no (or a blank) activity. */
    public static final String REASON_MISSING_ACTIVITY = "missing activity";
    /** The row has no (or a blank) timestamp. */
    public static final String REASON_MISSING_TIME = "missing timestamp";
    /** The row's timestamp matches none of the accepted forms (or the custom pattern). */
    public static final String REASON_BAD_TIME = "unparseable timestamp";

    private final EventLogFormat format;
    private final long cases;
    private final long eventsWritten;
    private final Map<String, Long> skippedByReason;
    private final Instant firstEventTime;
    private final Instant lastEventTime;

    /**
     * @param format the format that was read, not null
     * @param cases distinct case ids among the written events, &gt;= 0
     * @param eventsWritten JSON lines written, &gt;= 0
     * @param skippedByReason skipped rows per reason; copied
     * @param firstEventTime earliest written event instant, null when none was written
     * @param lastEventTime latest written event instant, null when none was written
     */
    public ConversionStats(
            EventLogFormat format,
            long cases,
            long eventsWritten,
            Map<String, Long> skippedByReason,
            Instant firstEventTime,
            Instant lastEventTime) {
        this.format = Objects.requireNonNull(format, "format");
        this.cases = cases;
        this.eventsWritten = eventsWritten;
        this.skippedByReason = Collections.unmodifiableMap(new TreeMap<>(skippedByReason));
        this.firstEventTime = firstEventTime;
        this.lastEventTime = lastEventTime;
    }

    /** @return the format that was read */
    public EventLogFormat format() {
        return format;
    }

    /** @return the number of distinct case ids among the written events */
    public long cases() {
        return cases;
    }

    /** @return the number of events (JSON lines) written */
    public long eventsWritten() {
        return eventsWritten;
    }

    /** @return the total number of skipped rows (sum of {@link #skippedByReason()}) */
    public long rowsSkipped() {
        long n = 0;
        for (long v : skippedByReason.values()) {
            n += v;
        }
        return n;
    }

    /** @return skipped rows per reason ({@code REASON_*} constants), sorted by reason, unmodifiable; empty if none */
    public Map<String, Long> skippedByReason() {
        return skippedByReason;
    }

    /**
     * @param reason a {@code REASON_*} constant
     * @return the rows skipped for that reason, 0 when none
     */
    public long skipped(String reason) {
        Long n = skippedByReason.get(reason);
        return n == null ? 0 : n;
    }

    /** @return the earliest written event instant, or null when no event was written */
    public Instant firstEventTime() {
        return firstEventTime;
    }

    /** @return the latest written event instant, or null when no event was written */
    public Instant lastEventTime() {
        return lastEventTime;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ConversionStats)) return false;
        ConversionStats that = (ConversionStats) o;
        return cases == that.cases
                && eventsWritten == that.eventsWritten
                && format == that.format
                && skippedByReason.equals(that.skippedByReason)
                && Objects.equals(firstEventTime, that.firstEventTime)
                && Objects.equals(lastEventTime, that.lastEventTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, cases, eventsWritten, skippedByReason, firstEventTime, lastEventTime);
    }

    @Override
    public String toString() {
        return "ConversionStats{format=" + format + ", cases=" + cases + ", eventsWritten=" + eventsWritten
                + ", rowsSkipped=" + rowsSkipped() + (skippedByReason.isEmpty() ? "" : " " + skippedByReason)
                + ", first=" + firstEventTime + ", last=" + lastEventTime + '}';
    }
}
