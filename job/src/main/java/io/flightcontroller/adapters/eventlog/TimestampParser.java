package io.flightcontroller.adapters.eventlog;

import static java.time.temporal.ChronoField.DAY_OF_MONTH;
import static java.time.temporal.ChronoField.MONTH_OF_YEAR;
import static java.time.temporal.ChronoField.YEAR;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;

/**
 * Parses event-log timestamps into {@link OffsetDateTime}s that keep the offset written in the file, and formats
 * them back as ISO-8601. Thread-safe.
 *
 * <p>Default forms: {@code yyyy-MM-dd} or {@code yyyy/MM/dd}, then {@code T} or a space, then
 * {@code HH:mm[:ss[.fraction]]} (1-9 fraction digits), then optionally {@code Z}, {@code +HH:MM}, {@code +HHMM} or
 * {@code +HH} (a space before the offset is allowed). Without an offset the wall-clock time is read in the zone.
 */
final class TimestampParser {
    private static final DateTimeFormatter DASH_T = defaultForm('-', 'T');
    private static final DateTimeFormatter DASH_SPACE = defaultForm('-', ' ');
    private static final DateTimeFormatter SLASH_T = defaultForm('/', 'T');
    private static final DateTimeFormatter SLASH_SPACE = defaultForm('/', ' ');

    private static final DateTimeFormatter OUT_S = outForm("");
    private static final DateTimeFormatter OUT_MS = outForm(".SSS");
    private static final DateTimeFormatter OUT_US = outForm(".SSSSSS");
    private static final DateTimeFormatter OUT_NS = outForm(".SSSSSSSSS");

    private final ZoneId zone;
    private final DateTimeFormatter custom;

    /**
     * @param zone zone for timestamps without an offset
     * @param custom custom pattern, or null for the default forms
     */
    TimestampParser(ZoneId zone, DateTimeFormatter custom) {
        this.zone = zone;
        this.custom = custom;
    }

    /**
     * @param text the timestamp text (surrounding blanks ignored)
     * @return the date-time with the offset written in the text, or with the zone's offset at that time
     * @throws DateTimeException when the text cannot be parsed
     */
    OffsetDateTime parse(String text) {
        String t = text.trim();
        TemporalAccessor parsed =
                custom != null ? custom.parse(t) : defaultFormFor(t).parse(t);
        ZoneOffset offset = parsed.query(TemporalQueries.offset());
        ZoneId parsedZone = parsed.query(TemporalQueries.zoneId());
        if (offset != null && parsed.isSupported(ChronoField.HOUR_OF_DAY)) {
            return OffsetDateTime.of(LocalDateTime.from(parsed), offset);
        }
        if (parsedZone != null) {
            return ZonedDateTime.from(parsed).toOffsetDateTime();
        }
        LocalDateTime local = parsed.isSupported(ChronoField.HOUR_OF_DAY)
                ? LocalDateTime.from(parsed)
                : LocalDate.from(parsed).atStartOfDay();
        return local.atZone(zone).toOffsetDateTime();
    }

    /**
     * Formats as ISO-8601 with the date-time's own offset ({@code Z} for UTC) and seconds always present; the
     * fraction is left out when zero, else written with 3, 6 or 9 digits.
     *
     * @param t the date-time
     * @return for example {@code 2010-03-31T15:59:42+01:00} or {@code 2014-10-22T11:15:41.250Z}
     */
    static String format(OffsetDateTime t) {
        int nano = t.getNano();
        DateTimeFormatter f;
        if (nano == 0) {
            f = OUT_S;
        } else if (nano % 1_000_000 == 0) {
            f = OUT_MS;
        } else if (nano % 1_000 == 0) {
            f = OUT_US;
        } else {
            f = OUT_NS;
        }
        return f.format(t);
    }

    private static DateTimeFormatter defaultFormFor(String t) {
        boolean slash = t.length() > 4 && t.charAt(4) == '/';
        boolean space = t.length() > 10 && t.charAt(10) == ' ';
        if (slash) {
            return space ? SLASH_SPACE : SLASH_T;
        }
        return space ? DASH_SPACE : DASH_T;
    }

    private static DateTimeFormatter defaultForm(char dateSep, char timeSep) {
        return new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .appendValue(YEAR, 4)
                .appendLiteral(dateSep)
                .appendValue(MONTH_OF_YEAR, 2)
                .appendLiteral(dateSep)
                .appendValue(DAY_OF_MONTH, 2)
                .appendLiteral(timeSep)
                .append(DateTimeFormatter.ISO_LOCAL_TIME)
                .optionalStart()
                .appendLiteral(' ')
                .optionalEnd()
                .optionalStart()
                .appendOffset("+HH:MM:ss", "Z")
                .optionalEnd()
                .optionalStart()
                .appendOffset("+HHmm", "Z")
                .optionalEnd()
                .toFormatter(Locale.ROOT)
                .withChronology(IsoChronology.INSTANCE)
                .withResolverStyle(ResolverStyle.STRICT);
    }

    private static DateTimeFormatter outForm(String fraction) {
        return new DateTimeFormatterBuilder()
                .appendPattern("uuuu-MM-dd'T'HH:mm:ss" + fraction)
                .appendOffsetId()
                .toFormatter(Locale.ROOT)
                .withChronology(IsoChronology.INSTANCE);
    }
}
