package io.flightcontroller.adapters.parse;

import io.flightcontroller.domain.measure.DurationLimits;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads an ISO-8601 duration of fixed length: what {@link Duration#parse} reads ({@code PT1H}, {@code P7D},
 * {@code P1DT12H}, {@code PT0.5S}) plus weeks ({@code P1W} = {@code P7D}, also mixed: {@code P1W2D}, {@code P2WT12H}),
 * read with {@link Period#parse} for the date part. Months and years are refused: they have no fixed length.
 *
 * <p>Shape: a day is 24 hours and a week 7 days (event time is UTC epoch milliseconds, no calendar). A number too
 * large for {@code java.time} is refused with the maximum {@link DurationLimits#MAX_TEXT}; values that parse but
 * exceed it are refused by the domain when the measure is built.
 */
public final class IsoDurations {
    private IsoDurations() {}

    /**
     * @param text an ISO-8601 duration, e.g. {@code PT1H}, {@code P7D}, {@code P1W}
     * @return the duration
     * @throws IllegalArgumentException with the reason (not ISO-8601, months or years, too large); the message quotes
     *     the text
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            if (tooLarge(e)) {
                throw new IllegalArgumentException(tooLargeMessage(s));
            }
            // not Duration's subset: weeks, months, years, or not a duration at all
        }
        String u = s.toUpperCase(Locale.ROOT);
        boolean negative = u.startsWith("-");
        String body = u.startsWith("-") || u.startsWith("+") ? u.substring(1) : u;
        int t = body.indexOf('T');
        String datePart = t < 0 ? body : body.substring(0, t);
        if (!body.startsWith("P") || datePart.length() < 2) {
            throw notIso(s);
        }
        try {
            Period p = Period.parse(datePart);
            if (p.getYears() != 0 || p.getMonths() != 0) {
                throw new IllegalArgumentException("'" + s + "' uses months or years, which have no fixed length"
                        + " (28 to 31 days, 365 or 366 days); write days or weeks instead, e.g. P30D, P4W, P365D");
            }
            Duration d = Duration.ofDays(p.getDays());
            if (t >= 0) {
                d = d.plus(Duration.parse("PT" + body.substring(t + 1)));
            }
            return negative ? d.negated() : d;
        } catch (DateTimeParseException e) {
            if (tooLarge(e)) {
                throw new IllegalArgumentException(tooLargeMessage(s));
            }
            throw notIso(s);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(tooLargeMessage(s));
        }
    }

    private static boolean tooLarge(DateTimeParseException e) {
        return e.getCause() instanceof ArithmeticException || e.getCause() instanceof NumberFormatException;
    }

    private static String tooLargeMessage(String s) {
        return "'" + s + "' is too large; durations must be at most " + DurationLimits.MAX_TEXT;
    }

    private static IllegalArgumentException notIso(String s) {
        return new IllegalArgumentException("'" + s + "' is not an ISO-8601 duration (e.g. PT1H, P7D, P1W)");
    }
}
