package io.flightcontroller.adapters.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.event.ProcessEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming fast path of {@link EventParser} ({@link FastEventReader}) against its tree-based code, over generated
 * records and their mutations: every {@link ParsedRecord} the same field by field (payload values with their classes),
 * every dead letter the same reason and text, and the sorter's {@link EventParser#eventTimeOrMin} the same time.
 */
class EventParserFastPathTest {
    private static final long ARRIVAL = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private static final String[] NUMBERS = {
        "0",
        "-0",
        "7",
        "-12",
        "2147483647",
        "2147483648",
        "-2147483648",
        "-2147483649",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "1.5",
        "-0.0",
        "0.1",
        "1e2",
        "1E-3",
        "1e400",
        "-1e400",
        "5e-324",
        "123456789.123456789",
        "1.0",
        "3.141592653589793238462643383279"
    };

    private static final String[] TIMES = {
        "\"2026-01-01T00:00:00Z\"",
        "\"2026-01-01T00:00:01.353Z\"",
        "\"2024-02-29T23:59:59.999999999+05:30\"",
        "\"2023-02-29T00:00:00Z\"",
        "\"2026-01-01T00:00:00\"",
        "\"2026-01-01t00:00:00z\"",
        "\"2026-01-01T00:00:00-00:00\"",
        "\"2026-01-01T24:00:00Z\"",
        "\"2016-12-31T23:59:60Z\"",
        "\"1969-12-31T23:59:59Z\"",
        "\"2300-01-01T00:00:00Z\"",
        "\"2026-06-01T00:00:00Z\"",
        "\"1767225600\"",
        "\"1767225600123\"",
        "\" 1767225600 \"",
        "\"1767225600.5\"",
        "\"\"",
        "\"yesterday\"",
        "1767225600",
        "1767225600123",
        "1767225600.25",
        "1.7672256E9",
        "-5",
        "99999999999",
        "99999999999999999999",
        "1e400",
        "true",
        "null",
        "{}",
        "[1]",
        "\"1767226500001\"",
        "\"1767226499999\""
    };

    private static final String[] STRINGS = {
        "case-1", "", "p\\\"q", "ü-ñ-日本", "\\u00e9t\\u00e9", "tab\\tnl\\n", "\\ud83d\\ude00", "a\\\\b", "\\ufffd", "x y"
    };

    private final Random r = new Random(20261201L);

    private String str() {
        return '"'
                + STRINGS[r.nextInt(STRINGS.length)]
                + (r.nextBoolean() ? "" : Integer.toString(r.nextInt(1000)))
                + '"';
    }

    private String value(int depth) {
        int k = r.nextInt(depth > 3 ? 6 : 9);
        switch (k) {
            case 0:
            case 1:
                return str();
            case 2:
            case 3:
                return NUMBERS[r.nextInt(NUMBERS.length)];
            case 4:
                return r.nextBoolean() ? (r.nextBoolean() ? "true" : "false") : "null";
            case 5:
                return Integer.toString(r.nextInt());
            case 6:
            case 7:
                return object(depth + 1, r.nextInt(5));
            default:
                StringBuilder a = new StringBuilder("[");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.append(i == 0 ? "" : ",").append(value(depth + 1));
                }
                return a.append(']').toString();
        }
    }

    private String object(int depth, int fields) {
        StringBuilder o = new StringBuilder("{");
        for (int i = 0; i < fields; i++) {
            o.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(value(depth));
        }
        return o.append('}').toString();
    }

    private static String quote(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    private static void field(List<String> fields, String name, String value) {
        fields.add('"' + name + "\":" + value);
    }

    private String join(List<String> fields, boolean shuffle) {
        if (shuffle) {
            java.util.Collections.shuffle(fields, r);
        }
        return "{" + String.join(r.nextInt(5) == 0 ? " , " : ",", fields) + "}";
    }

    /** An event's own fields: mostly complete and valid, sometimes missing, null or of another type. */
    private List<String> eventFields() {
        List<String> f = new ArrayList<>();
        int c = r.nextInt(20);
        if (c < 14) {
            field(f, "correlation_id", str());
        } else if (c < 16) {
            field(f, "aggregate_id", r.nextBoolean() ? str() : NUMBERS[r.nextInt(NUMBERS.length)]);
        } else if (c == 16) {
            field(f, "correlation_id", r.nextBoolean() ? "null" : "{\"a\":1}");
            field(f, "aggregate_id", str());
        } else if (c == 17) {
            field(f, "correlation_id", NUMBERS[r.nextInt(NUMBERS.length)]);
        } // else none
        int e = r.nextInt(20);
        if (e < 16) {
            field(f, "event_type", str());
        } else if (e == 16) {
            field(f, "event_type", r.nextBoolean() ? "null" : "[]");
        } else if (e == 17) {
            field(f, "event_type", "42");
        }
        if (r.nextInt(15) > 0) {
            field(f, "time", r.nextInt(3) == 0 ? TIMES[r.nextInt(TIMES.length)] : TIMES[r.nextInt(4)]);
        }
        int p = r.nextInt(12);
        if (p < 7) {
            field(f, "payload", object(1, r.nextInt(6)));
        } else if (p == 7) {
            field(f, "payload", value(1));
        } else if (p == 8) {
            field(f, "payload", "null");
        }
        if (r.nextInt(6) == 0) {
            field(f, "extra", value(1));
        }
        if (r.nextInt(10) == 0) {
            field(f, "detail", r.nextBoolean() ? object(1, 2) : str());
        }
        if (r.nextInt(10) == 0) {
            field(f, "source", str());
        }
        return f;
    }

    private String record(int depth) {
        int kind = depth > 2 ? 0 : r.nextInt(10);
        if (kind < 6) {
            return join(eventFields(), r.nextBoolean());
        }
        if (kind < 9) {
            String detail = join(eventFields(), r.nextBoolean());
            List<String> env = new ArrayList<>();
            String[] names = {"version", "id", "detail-type", "source", "account", "time", "region", "resources"};
            for (String n : names) {
                if (r.nextInt(5) > 0) {
                    String v = n.equals("resources")
                            ? "[]"
                            : n.equals("time") ? TIMES[r.nextInt(TIMES.length)] : r.nextInt(8) == 0 ? value(2) : str();
                    field(env, n, v);
                }
            }
            int d = r.nextInt(10);
            if (d < 6) {
                field(env, "detail", detail);
            } else if (d < 9) {
                field(env, "detail", quote(detail));
            } else if (r.nextBoolean()) {
                field(env, "detail", "null");
            }
            return join(env, r.nextBoolean());
        }
        String inner = mutate(record(depth + 1));
        List<String> dl = new ArrayList<>();
        field(dl, "stage", r.nextInt(5) == 0 ? "\"sink:jdbc\"" : "\"parse\"");
        field(dl, "reason", "\"not_json\"");
        int how = r.nextInt(4);
        if (how == 0) {
            field(dl, "raw_base64", quote(Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.UTF_8))));
        } else if (how == 1) {
            field(dl, "dead_letter_id", "\"d-1\"");
        } else {
            field(dl, "raw", quote(inner));
        }
        return join(dl, true);
    }

    /** Mostly unchanged; else a repeated key, a cut, a trailing token, a changed character, surrounding space. */
    private String mutate(String s) {
        int m = r.nextInt(16);
        switch (m) {
            case 0:
                int brace = s.indexOf('{', r.nextInt(Math.max(1, s.length())));
                if (brace < 0) {
                    return s;
                }
                int colon = s.indexOf("\":", brace);
                if (colon < 0) {
                    return s;
                }
                int start = s.lastIndexOf('"', colon - 1);
                String key = s.substring(start, colon + 1);
                return s.substring(0, brace + 1) + key + ":1," + s.substring(brace + 1);
            case 1:
                return s.substring(0, r.nextInt(Math.max(1, s.length())));
            case 2:
                return s + (r.nextBoolean() ? " x" : " {}");
            case 3:
                if (s.isEmpty()) {
                    return s;
                }
                int at = r.nextInt(s.length());
                return s.substring(0, at) + "\",:{}[]0a ".charAt(r.nextInt(10)) + s.substring(at + 1);
            case 4:
                return " \t" + s + " ";
            case 5:
                return r.nextBoolean() ? "[" + s + "]" : "";
            default:
                return s;
        }
    }

    /** A record described field by field, payload values with their classes. */
    static String describe(ParsedRecord p) {
        StringBuilder sb = new StringBuilder();
        sb.append("raw=").append(p.getRaw()).append('\n');
        if (p.isEvent()) {
            ProcessEvent e = p.getEvent();
            sb.append("event id=")
                    .append(e.getEventId())
                    .append(" cid=")
                    .append(e.getCorrelationId())
                    .append(" type=")
                    .append(e.getEventType())
                    .append(" time=")
                    .append(e.getTimeMs())
                    .append(" seq=")
                    .append(e.getSeq())
                    .append(" identity=")
                    .append(e.getIdentity())
                    .append(" payload=");
            typed(e.getPayload(), sb);
            sb.append(" payloadNull=").append(e.getPayload() == null);
        } else {
            DeadLetter d = p.getDeadLetter();
            sb.append("dead stage=")
                    .append(d.getStage())
                    .append(" reason=")
                    .append(d.getReason())
                    .append(" detail=")
                    .append(d.getDetail())
                    .append(" raw=")
                    .append(d.getRaw())
                    .append(" cid=")
                    .append(d.getCorrelationId())
                    .append(" time=")
                    .append(d.getEventTimeMs())
                    .append(" b64=")
                    .append(d.getRawBase64());
        }
        return sb.toString();
    }

    private static void typed(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Map) {
            sb.append(v.getClass().getSimpleName()).append('{');
            for (Map.Entry<?, ?> en : ((Map<?, ?>) v).entrySet()) {
                sb.append(en.getKey()).append('=');
                typed(en.getValue(), sb);
                sb.append(',');
            }
            sb.append('}');
        } else if (v instanceof List) {
            sb.append(v.getClass().getSimpleName()).append('[');
            for (Object o : (List<?>) v) {
                typed(o, sb);
                sb.append(',');
            }
            sb.append(']');
        } else {
            sb.append(v.getClass().getSimpleName()).append(':').append(v);
        }
    }

    @Test
    void streamingFastPathGivesWhatTheTreeGives_forEveryGeneratedRecord() {
        EventParser fast = new EventParser(2048);
        EventParser tree = new EventParser(2048, EventParser.DEFAULT_MAX_FUTURE_SKEW, true);
        EventParser fastNoSkew = fast.withMaxFutureSkew(null);
        EventParser treeNoSkew = tree.withMaxFutureSkew(null);
        FastEventReader reader = new FastEventReader();
        int events = 0;
        int byFastReader = 0;
        int deadLetters = 0;
        for (int i = 0; i < 25_000; i++) {
            String line = mutate(record(0));
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            long arrival = r.nextBoolean() ? EventParser.ARRIVAL_UNKNOWN : ARRIVAL + r.nextInt(3) * 600_000L;
            String expected = describe(tree.parse(line, arrival));
            assertThat(describe(fast.parse(line, arrival)))
                    .as("String %s", line)
                    .isEqualTo(expected);
            assertThat(describe(fast.parse(bytes, arrival)))
                    .as("bytes %s", line)
                    .isEqualTo(describe(tree.parse(bytes, arrival)));
            assertThat(describe(fastNoSkew.parse(line, arrival)))
                    .as("no skew %s", line)
                    .isEqualTo(describe(treeNoSkew.parse(line, arrival)));
            ParsedRecord unknownArrival = tree.parse(bytes);
            assertThat(fast.eventTimeOrMin(bytes, 0, bytes.length))
                    .as("eventTimeOrMin %s", line)
                    .isEqualTo(unknownArrival.eventTimeOrMin());
            assertThat(tree.eventTimeOrMin(bytes, 0, bytes.length)).isEqualTo(unknownArrival.eventTimeOrMin());
            if (reader.event(line, EventParser.ARRIVAL_UNKNOWN, Long.MAX_VALUE) != null) {
                byFastReader++;
            }
            if (unknownArrival.isEvent()) {
                events++;
            } else {
                deadLetters++;
            }
        }
        assertThat(events).as("events").isGreaterThan(4_000);
        assertThat(deadLetters).as("dead letters").isGreaterThan(4_000);
        assertThat(byFastReader).as("records the streaming reader read itself").isGreaterThan(events / 2);
    }

    @Test
    void workloadLikeLinesAreReadByTheStreamingReader() {
        FastEventReader reader = new FastEventReader();
        String flat = "{\"correlation_id\":\"case-4\",\"event_type\":\"project_requested\","
                + "\"time\":\"2026-01-01T00:00:03.536Z\",\"payload\":{\"team\":\"team-4\",\"n\":[1,2.5,null]}}";
        String envelope = "{\"version\":\"0\",\"id\":\"e-9\",\"detail-type\":\"t\",\"source\":\"s\",\"detail\":"
                + quote(flat) + "}";
        EventParser tree = new EventParser(2048, EventParser.DEFAULT_MAX_FUTURE_SKEW, true);
        for (String line : new String[] {flat, envelope}) {
            ProcessEvent e = reader.event(line, EventParser.ARRIVAL_UNKNOWN, Long.MAX_VALUE);
            assertThat(e).as(line).isNotNull();
            assertThat(describe(ParsedRecord.ofEvent(e, line))).isEqualTo(describe(tree.parse(line)));
            assertThat(reader.eventTime(line)).isEqualTo(e.getTimeMs());
        }
    }
}
