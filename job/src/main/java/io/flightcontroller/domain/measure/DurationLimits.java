package io.flightcontroller.domain.measure;

import java.time.Duration;

/**
 * The largest duration a measures file may use (timeout, SLO threshold and window, burn-rate windows, aggregate
 * windows), checked when the file is loaded so that no sum of an event time and a duration can overflow at run time.
 *
 * <p>Shape: {@link #MAX} is {@code P36500D} (100 years of 24-hour days, 3.1536 x 10^12 ms). Event times are epoch
 * milliseconds and deadlines are computed as {@code start + duration.toMillis()} in a {@code long} (up to about
 * 9.2 x 10^18 ms); {@link Duration#toMillis()} itself throws above about 2.9 x 10^8 years. Keeping every duration
 * at or below 100 years leaves any such sum far inside the {@code long} range for event times up to the year 10000
 * (2.5 x 10^14 ms), and no SLO or timeout needs more.
 */
public final class DurationLimits {
    /** The largest accepted duration: P36500D (100 years). */
    public static final Duration MAX = Duration.ofDays(36500);
    /** {@link #MAX} as written in a message. */
    public static final String MAX_TEXT = "P36500D (100 years)";

    private DurationLimits() {}

    /**
     * Checks that a duration is at most {@link #MAX}.
     *
     * @param measure measure name, for the message
     * @param field field, for the message
     * @param d the duration, or null (not checked)
     * @throws InvalidMeasureException when {@code d} is longer than {@link #MAX}
     */
    public static void checkMax(String measure, String field, Duration d) {
        if (d != null && d.compareTo(MAX) > 0) {
            throw new InvalidMeasureException(measure, field, "must be at most " + MAX_TEXT + "; was " + format(d));
        }
    }

    /**
     * Writes a duration with whole days as days ({@code P1D}, {@code P1DT2H}) rather than {@link Duration#toString()}'s
     * hours ({@code PT24H}), so a message shows what the file most likely said.
     *
     * @param d a duration
     * @return ISO-8601 text
     */
    public static String format(Duration d) {
        long days = d.toDays();
        if (days == 0 || d.isNegative()) {
            return d.toString();
        }
        Duration rest = d.minusDays(days);
        return rest.isZero()
                ? "P" + days + "D"
                : "P" + days + "D" + rest.toString().substring(1);
    }
}
