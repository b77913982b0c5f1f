package io.flightcontroller.domain.event;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an event's {@code time} value into epoch milliseconds UTC.
 *
 * <p>Accepted: ISO-8601 date-time with an offset or {@code Z} ({@code 2022-11-08T16:22:06+01:00},
 * {@code 2022-11-08T15:22:06.123Z}); epoch seconds or epoch milliseconds as a JSON number or a numeric string
 * ({@code 1667924526}, {@code "1667924526"}, {@code 1667924526123}, fractional seconds allowed). A numeric value whose
 * magnitude is below 10^11 is read as seconds (10^11 s is the year 5138; 10^11 ms is 1973), otherwise as milliseconds.
 * A date-time without an offset is rejected: its instant would be a guess.
 *
 * <p>Shape of the accepted range: [{@link #MIN_EPOCH_MS}, {@link #END_EPOCH_MS}) = [1970-01-01T00:00:00Z,
 * 2200-01-01T00:00:00Z), checked with {@link #inRange}. A time before 1970 is a negative epoch value (a sign or unit
 * mistake); a time from 2200 on is a unit mistake, e.g. {@code 99999999999} read as seconds (year 5138) or epoch
 * microseconds read as milliseconds.
 */
public final class EventTimes {
    private EventTimes() {}

    /** Earliest accepted event time, inclusive: 1970-01-01T00:00:00Z in epoch milliseconds. */
    public static final long MIN_EPOCH_MS = 0L;

    /** End of the accepted event times, exclusive: 2200-01-01T00:00:00Z in epoch milliseconds. */
    public static final long END_EPOCH_MS = 7_258_118_400_000L;

    /** The accepted range as text, for messages: {@code [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z)}. */
    public static final String RANGE =
            "[" + Instant.ofEpochMilli(MIN_EPOCH_MS) + ", " + Instant.ofEpochMilli(END_EPOCH_MS) + ")";

    /**
     * @param epochMs an event time, epoch milliseconds UTC
     * @return whether it lies in [{@link #MIN_EPOCH_MS}, {@link #END_EPOCH_MS})
     */
    public static boolean inRange(long epochMs) {
        return epochMs >= MIN_EPOCH_MS && epochMs < END_EPOCH_MS;
    }

    private static final double SECONDS_LIMIT = 1e11;

    /**
     * Parses a time value.
     *
     * @param value a String, or a Number
     * @return epoch milliseconds UTC
     * @throws IllegalArgumentException when the value is none of the accepted forms (message says why)
     */
    public static long toEpochMillis(Object value) {
        if (value instanceof Number) {
            return fromNumber(new BigDecimal(value.toString()));
        }
        if (!(value instanceof String)) {
            throw new IllegalArgumentException("time must be an ISO-8601 string or epoch seconds/milliseconds, was "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        String s = ((String) value).trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("time is empty");
        }
        if (looksNumeric(s)) {
            return fromNumber(new BigDecimal(s));
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeException e2) {
                throw new IllegalArgumentException(
                        "time '" + s
                                + "' is not ISO-8601 with an offset (e.g. 2022-11-08T16:22:06Z) nor epoch seconds/milliseconds");
            }
        }
    }

    private static boolean looksNumeric(String s) {
        int i = s.charAt(0) == '-' ? 1 : 0;
        boolean digits = false;
        boolean dot = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits = true;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return false;
            }
        }
        return digits;
    }

    private static long fromNumber(BigDecimal n) {
        if (n.abs().doubleValue() < SECONDS_LIMIT) {
            return n.movePointRight(3)
                    .setScale(0, java.math.RoundingMode.HALF_UP)
                    .longValueExact();
        }
        return n.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    /**
     * Formats epoch milliseconds as an ISO-8601 UTC instant ({@code 2022-11-08T15:22:06Z}, milliseconds shown when
     * non-zero).
     *
     * @param epochMs epoch milliseconds UTC
     * @return ISO-8601 text
     */
    public static String iso(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }
}
