package io.flightcontroller.domain.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written reading of the common time forms ({@code EventTimes.fastIsoOrDigits}) against the java.time and
 * BigDecimal code it stands in front of, over generated and edge-case texts.
 */
class EventTimesFastPathTest {
    private static final long NOT_FAST = Long.MIN_VALUE;

    /** The code of {@code EventTimes.toEpochMillis} before the fast path, as the reference. */
    static Object reference(Object value) {
        try {
            if (value instanceof Number) {
                return fromNumber(new BigDecimal(value.toString()));
            }
            String s = ((String) value).trim();
            if (s.isEmpty()) {
                return "error";
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
                    return "error";
                }
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            return "error";
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
        if (n.abs().doubleValue() < 1e11) {
            return n.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
        }
        return n.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static Object current(Object value) {
        try {
            return EventTimes.toEpochMillis(value);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return "error";
        }
    }

    static List<String> texts(long seed, int n) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        String[] fixed = {
            "2022-11-08T16:22:06Z",
            "2022-11-08T16:22:06+01:00",
            "2022-11-08T16:22:06.123Z",
            "2024-02-29T23:59:59.999999999Z",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2000-02-29T00:00:00Z",
            "2100-02-29T12:00:00Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999+18:00",
            "1969-12-31T23:59:59.5Z",
            "1970-01-01T00:00:00-00:00",
            "1970-01-01T00:00:00+18:00",
            "1970-01-01T00:00:00+18:01",
            "1970-01-01T00:00:00-18:00",
            "1970-01-01T00:00:00+19:00",
            "2022-11-08T24:00:00Z",
            "2022-11-08T23:59:60Z",
            "2022-11-08t16:22:06Z",
            "2022-11-08T16:22:06z",
            " 2022-11-08T16:22:06Z",
            "2022-11-08T16:22:06Z ",
            "2022-11-08T16:22:06.Z",
            "2022-11-08T16:22:06.1234567891Z",
            "2022-11-08T16:22Z",
            "2022-11-08T16:22:06",
            "2022-11-08 16:22:06Z",
            "2022-13-08T16:22:06Z",
            "2022-00-08T16:22:06Z",
            "2022-04-31T00:00:00Z",
            "2022-11-08T16:22:06+01:00:30",
            "2022-11-08T16:22:06+0100",
            "2022-11-08T16:22:06+01",
            "+2022-11-08T00:00:00Z",
            "-2022-11-08T00:00:00Z",
            "2022-11-08T16:22:06.123456+05:30",
            "2022-11-08T16:22:06.1-09:45",
            "1667924526",
            "1667924526123",
            "-1667924526",
            "-0",
            "0",
            "00012",
            "99999999999",
            "100000000000",
            "-100000000000",
            "999999999999999999",
            "9999999999999999999",
            "1667924526.5",
            "1667924526.0005",
            "-",
            "",
            "1e9",
            "abc",
            "2022-11-08T16:22:06.123Zx",
            "2022-11-08T16:2a:06Z",
            "２０２２-11-08T16:22:06Z"
        };
        for (String s : fixed) {
            out.add(s);
        }
        for (int i = 0; i < n; i++) {
            int year = r.nextInt(10) < 7 ? 1960 + r.nextInt(260) : r.nextInt(10000);
            int month = 1 + r.nextInt(r.nextInt(20) == 0 ? 13 : 12);
            int day = 1 + r.nextInt(r.nextInt(10) == 0 ? 31 : 29);
            if (r.nextInt(8) == 0) {
                month = 2;
                day = 28 + r.nextInt(2);
            }
            int hour = r.nextInt(r.nextInt(30) == 0 ? 25 : 24);
            int minute = r.nextInt(60);
            int second = r.nextInt(r.nextInt(30) == 0 ? 61 : 60);
            StringBuilder sb = new StringBuilder(String.format(
                    Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second));
            int digits = r.nextInt(12) - 1;
            if (digits >= 0) {
                sb.append('.');
                for (int k = 0; k < digits; k++) {
                    sb.append((char) ('0' + r.nextInt(10)));
                }
            }
            switch (r.nextInt(5)) {
                case 0:
                    sb.append('Z');
                    break;
                case 1:
                case 2:
                    sb.append(String.format(
                            Locale.ROOT, "%s%02d:%02d", r.nextBoolean() ? "+" : "-", r.nextInt(20), r.nextInt(61)));
                    break;
                case 3:
                    sb.append(String.format(Locale.ROOT, "%s%02d:%02d", r.nextBoolean() ? "+" : "-", r.nextInt(15), 0));
                    break;
                default:
                    break; // no offset
            }
            out.add(sb.toString());
            long epoch = (long) (r.nextDouble() * 4e12) - (r.nextInt(10) == 0 ? 2_000_000_000_000L : 0);
            out.add(Long.toString(r.nextBoolean() ? epoch : epoch / 1000));
        }
        return out;
    }

    @Test
    void fastPathGivesWhatJavaTimeGives_orLeavesItToJavaTime() {
        int fast = 0;
        for (String s : texts(20261201L, 200_000)) {
            long f = EventTimes.fastIsoOrDigits(s);
            Object ref = reference(s);
            if (f != NOT_FAST) {
                fast++;
                assertThat((Object) f).as("fast reading of '%s'", s).isEqualTo(ref);
            }
            assertThat(current(s)).as("toEpochMillis('%s')", s).isEqualTo(ref);
        }
        assertThat(fast).as("texts read by the fast path").isGreaterThan(200_000);
    }

    @Test
    void commonFormsTakeTheFastPath() {
        for (String s : new String[] {
            "2022-11-08T16:22:06Z", "2022-11-08T16:22:06.123Z", "2022-11-08T16:22:06+01:00",
            "2024-02-29T00:00:00.123456789-05:30", "1667924526", "1667924526123"
        }) {
            assertThat(EventTimes.fastIsoOrDigits(s)).as(s).isEqualTo(reference(s));
        }
    }

    @Test
    void numbersGiveWhatBigDecimalGives() {
        Random r = new Random(7);
        List<Object> values = new ArrayList<>(List.of(
                0,
                -0,
                1,
                -1,
                Integer.MAX_VALUE,
                Integer.MIN_VALUE,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                99_999_999_999L,
                100_000_000_000L,
                -99_999_999_999L,
                -100_000_000_000L,
                1667924526,
                1667924526123L,
                1.5,
                -0.0,
                1667924526.123,
                1e11,
                1e300,
                new java.math.BigInteger("123456789012345678901234567890")));
        for (int i = 0; i < 20_000; i++) {
            values.add(r.nextLong() >> r.nextInt(64));
            values.add(r.nextInt() >> r.nextInt(32));
        }
        for (Object v : values) {
            assertThat(current(v))
                    .as("toEpochMillis(%s %s)", v.getClass().getSimpleName(), v)
                    .isEqualTo(reference(v));
        }
    }
}
