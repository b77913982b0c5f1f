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
        if (value instanceof Integer || value instanceof Long) {
            return fromLong(((Number) value).longValue());
        }
        if (value instanceof Number) {
            return fromNumber(new BigDecimal(value.toString()));
        }
        if (value instanceof String) {
            long fast = fastIsoOrDigits((String) value);
            if (fast != NOT_FAST) {
                return fast;
            }
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

    /** What {@link #fastIsoOrDigits} returns when the text is not one of its forms. */
    private static final long NOT_FAST = Long.MIN_VALUE;

    private static final long DAYS_0000_TO_1970 = 719_528L;

    /** Same as {@link #fromNumber} for a whole number: no rounding, so no BigDecimal needed. */
    private static long fromLong(long n) {
        return n > -100_000_000_000L && n < 100_000_000_000L ? n * 1000 : n;
    }

    /**
     * The common forms of a time, read without java.time or BigDecimal: {@code yyyy-MM-ddTHH:mm:ss} with an optional
     * fraction of 1-9 digits and {@code Z} or {@code +HH:MM}/{@code -HH:MM}, and a whole number of at most 18 digits
     * with an optional minus sign. Gives exactly what the general code below gives for these forms (checked against it
     * in {@code EventTimesFastPathTest}); anything else, including out-of-range fields, lower-case {@code t}/{@code z},
     * surrounding white space or a 24th hour, is left to that code.
     *
     * @return epoch milliseconds, or {@link #NOT_FAST}
     */
    static long fastIsoOrDigits(String s) {
        int n = s.length();
        if (n == 0) {
            return NOT_FAST;
        }
        char c0 = s.charAt(0);
        if ((c0 >= '0' && c0 <= '9') || c0 == '-') {
            int i = c0 == '-' ? 1 : 0;
            if (n - i >= 1 && n - i <= 18) {
                long v = 0;
                for (int k = i; k < n; k++) {
                    char c = s.charAt(k);
                    if (c < '0' || c > '9') {
                        v = -1;
                        break;
                    }
                    v = v * 10 + (c - '0');
                }
                if (v >= 0) {
                    return fromLong(i == 1 ? -v : v);
                }
            }
        }
        if (n < 20
                || n > 35
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return NOT_FAST;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > monthLength(year, month)
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return NOT_FAST;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            int len = i - start;
            if (len < 1 || len > 9) {
                return NOT_FAST;
            }
            for (int k = len; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || om < 0 || om > 59 || oh > 18 || (oh == 18 && om > 0)) {
                return NOT_FAST;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return NOT_FAST;
        }
        long epochDay = epochDay(year, month, day);
        long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * 1000L + nanos / 1_000_000; // as Instant.toEpochMilli: nanos are never negative
    }

    /** @return the value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isLeap(long year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    private static int monthLength(int year, int month) {
        switch (month) {
            case 2:
                return isLeap(year) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** As {@code LocalDate.toEpochDay} for years 0 to 9999. */
    private static long epochDay(long y, int m, int d) {
        long total = 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        total += (367 * m - 362) / 12;
        total += d - 1;
        if (m > 2) {
            total--;
            if (!isLeap(y)) {
                total--;
            }
        }
        return total - DAYS_0000_TO_1970;
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
        if (epochMs < MIN_EPOCH_MS || epochMs >= END_EPOCH_MS) {
            return Instant.ofEpochMilli(epochMs).toString();
        }
        // the same text as Instant.toString, without its formatter (a breach alert's subject formats two times: the
        // formatter was 6 % of the measuring task's CPU in the benchmark's profile of 2026-12-02)
        long days = epochMs / 86_400_000L;
        int msOfDay = (int) (epochMs % 86_400_000L);
        // civil date from days since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms",
        // days_from_civil's inverse; exact for the proleptic Gregorian calendar)
        long z = days + 719_468L;
        long era = z / 146_097L;
        long doe = z - era * 146_097L;
        long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        int ms = msOfDay % 1000;
        char[] c = new char[ms == 0 ? 20 : 24];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, month, 2);
        c[7] = '-';
        digits(c, 8, day, 2);
        c[10] = 'T';
        digits(c, 11, msOfDay / 3_600_000, 2);
        c[13] = ':';
        digits(c, 14, msOfDay / 60_000 % 60, 2);
        c[16] = ':';
        digits(c, 17, msOfDay / 1000 % 60, 2);
        if (ms != 0) {
            c[19] = '.';
            digits(c, 20, ms, 3);
        }
        c[c.length - 1] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int v, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }
}
