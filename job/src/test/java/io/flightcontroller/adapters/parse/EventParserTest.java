package io.flightcontroller.adapters.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.adapters.json.Json;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.EventTimes;
import io.flightcontroller.domain.event.FrozenPayload;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.event.ProcessEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {
    static final long T = 1667924526000L;
    final EventParser parser = new EventParser(2048);

    ProcessEvent event(String json) {
        ParsedRecord r = parser.parse(json);
        assertThat(r.isEvent()).as("parsed %s: %s", json, r.getDeadLetter()).isTrue();
        return r.getEvent();
    }

    String reason(String json) {
        ParsedRecord r = parser.parse(json);
        assertThat(r.isEvent()).isFalse();
        assertThat(r.getDeadLetter().getRaw()).isNotNull();
        return r.getDeadLetter().getReason();
    }

    @Test
    void flatEvent() {
        ProcessEvent e = event("{\"correlation_id\":\"p-1\",\"event_type\":\"project_requested\","
                + "\"time\":\"2022-11-08T16:22:06Z\",\"payload\":{\"team\":\"a\",\"n\":[1,2]}}");
        assertThat(e.getCorrelationId()).isEqualTo("p-1");
        assertThat(e.getEventType()).isEqualTo("project_requested");
        assertThat(e.getTimeMs()).isEqualTo(T);
        assertThat(e.getPayload()).containsEntry("team", "a");
        assertThat(e.getEventId()).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aParsedPayloadIsFrozenOnTheFastAndTheTreePath() {
        // the fast path reads an object payload; one that is not an object is left to the tree ({"value": ...})
        ProcessEvent fast = event("{\"correlation_id\":\"p-1\",\"event_type\":\"project_requested\","
                + "\"time\":\"2022-11-08T16:22:06Z\",\"payload\":{\"team\":\"a\",\"value\":[1,{\"k\":2}]}}");
        ProcessEvent tree = event("{\"correlation_id\":\"p-1\",\"event_type\":\"project_requested\","
                + "\"time\":\"2022-11-08T16:22:06Z\",\"payload\":[1,{\"k\":2}]}");
        for (ProcessEvent e : List.of(fast, tree)) {
            assertThat(FrozenPayload.isFrozen(e.getPayload())).isTrue();
            List<Object> n = (List<Object>) e.getPayload().get("value");
            assertThat(n).hasSize(2);
            assertThat(FrozenPayload.isFrozen(n)).isTrue();
            assertThat(FrozenPayload.isFrozen(n.get(1))).isTrue();
            assertThatThrownBy(() -> e.getPayload().put("team", "b")).isInstanceOf(UnsupportedOperationException.class);
        }
        assertThat(tree.getPayload()).containsOnlyKeys("value");
    }

    @Test
    void envelopeWithDetailObjectOrString_eventTimeIsTheDetailsTime() {
        String detail = "{\"correlation_id\":\"p-1\",\"event_type\":\"project_assigned\",\"time\":\"1667924526\"}";
        String envelope = "{\"version\":\"0\",\"id\":\"e-9\",\"detail-type\":\"project_assigned\",\"source\":\"s\","
                + "\"account\":\"1\",\"time\":\"2030-01-01T00:00:00Z\",\"region\":\"eu-west-1\",\"resources\":[],"
                + "\"detail\":%s}";
        ProcessEvent asObject = event(String.format(envelope, detail));
        ProcessEvent asString = event(String.format(envelope, "\"" + detail.replace("\"", "\\\"") + "\""));
        assertThat(asObject.getTimeMs()).isEqualTo(T);
        assertThat(asObject.getEventId()).isEqualTo("e-9");
        assertThat(asString).isEqualTo(asObject);
    }

    @Test
    void aggregateIdIsAcceptedAsCorrelationId_andNumbersToo() {
        assertThat(event("{\"aggregate_id\":\"a-7\",\"event_type\":\"x\",\"time\":1667924526000}")
                        .getCorrelationId())
                .isEqualTo("a-7");
        assertThat(event("{\"correlation_id\":42,\"event_type\":\"x\",\"time\":1667924526}")
                        .getCorrelationId())
                .isEqualTo("42");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"2022-11-08T17:22:06+01:00\"",
                "\"2022-11-08T16:22:06Z\"",
                "1667924526",
                "\"1667924526\"",
                "1667924526000",
                "\"1667924526000\""
            })
    void everyTimeFormat(String time) {
        assertThat(event("{\"correlation_id\":\"c\",\"event_type\":\"x\",\"time\":" + time + "}")
                        .getTimeMs())
                .isEqualTo(T);
    }

    @Test
    void badInputIsADeadLetterWithItsReason() {
        assertThat(reason("not json at all")).isEqualTo(DeadLetter.REASON_NOT_JSON);
        assertThat(reason("{\"correlation_id\":\"c\",\"event_type\":")).isEqualTo(DeadLetter.REASON_TRUNCATED_JSON);
        assertThat(reason("[1,2]")).isEqualTo(DeadLetter.REASON_NOT_AN_OBJECT);
        assertThat(reason("{\"event_type\":\"x\",\"time\":1}")).isEqualTo(DeadLetter.REASON_MISSING_CORRELATION_ID);
        assertThat(reason("{\"correlation_id\":\"c\",\"time\":1}")).isEqualTo(DeadLetter.REASON_MISSING_EVENT_TYPE);
        assertThat(reason("{\"correlation_id\":\"c\",\"event_type\":\"x\"}")).isEqualTo(DeadLetter.REASON_MISSING_TIME);
        assertThat(reason("{\"correlation_id\":\"c\",\"event_type\":\"x\",\"time\":\"29/2/2016 01:16\"}"))
                .isEqualTo(DeadLetter.REASON_BAD_TIME);
        StringBuilder big =
                new StringBuilder("{\"correlation_id\":\"c\",\"event_type\":\"x\",\"time\":1,\"payload\":\"");
        for (int i = 0; i < 5000; i++) {
            big.append('x');
        }
        big.append("\"}");
        ParsedRecord r = parser.parse(big.toString());
        assertThat(r.getDeadLetter().getReason()).isEqualTo(DeadLetter.REASON_OVERSIZED);
        assertThat(r.getDeadLetter().getRaw().length()).isLessThan(big.length());
    }

    static final String FLAT = "{\"correlation_id\":\"p-1\",\"event_type\":\"project_requested\","
            + "\"time\":\"2022-11-08T16:22:06Z\",\"payload\":{\"team\":\"a\"}}";

    static byte[] bytes(String prefix, int invalidByte, String suffix) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
        b.write(invalidByte);
        b.writeBytes(suffix.getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    @Test
    void everyRecordKeepsItsRawAsReceived() {
        assertThat(parser.parse(FLAT).getRaw()).isEqualTo(FLAT);
        assertThat(parser.parse(FLAT.getBytes(StandardCharsets.UTF_8)).getRaw()).isEqualTo(FLAT);
        ParsedRecord dead = parser.parse("{\"event_type\":\"x\"}");
        assertThat(dead.getRaw())
                .isEqualTo("{\"event_type\":\"x\"}")
                .isEqualTo(dead.getDeadLetter().getRaw());
    }

    @Test
    void badEncoding_isADeadLetterPerByteValue_neverMergedByReplacementCharacters() {
        String head = "{\"correlation_id\":\"u";
        String tail = "\",\"event_type\":\"x\",\"time\":1667924526}";
        byte[] ff = bytes(head, 0xff, tail);
        byte[] fe = bytes(head, 0xfe, tail);
        DeadLetter a = parser.parse(ff).getDeadLetter();
        DeadLetter b = parser.parse(fe).getDeadLetter();
        assertThat(a.getReason()).isEqualTo(DeadLetter.REASON_BAD_ENCODING);
        assertThat(b.getReason()).isEqualTo(DeadLetter.REASON_BAD_ENCODING);
        assertThat(a.getRaw()).contains("u\\xff").doesNotContain("\uFFFD").isNotEqualTo(b.getRaw());
        assertThat(a.getDetail()).contains("0xff").contains("offset " + head.length());
        assertThat(Base64.getDecoder().decode(a.getRawBase64())).isEqualTo(ff);
        assertThat(Base64.getDecoder().decode(b.getRawBase64())).isEqualTo(fe);
        // a literal backslash-x in a record is rendered differently from an invalid byte
        byte[] literal = bytes(head + "\\\\xff", 0xfe, tail); // JSON text u\\xff then byte 0xfe
        assertThat(parser.parse(literal).getDeadLetter().getRaw()).contains("u\\\\\\\\xff\\xfe");
        // a real U+FFFD in valid UTF-8 is not an encoding error
        assertThat(parser.parse((head + "\uFFFD" + tail).getBytes(StandardCharsets.UTF_8))
                        .getEvent()
                        .getCorrelationId())
                .isEqualTo("u\uFFFD");
    }

    @Test
    void duplicateKey_atTopLevel_orNested_orInsideADetailString_isADeadLetterNamingTheKey() {
        DeadLetter top = parser.parse("{\"correlation_id\":\"a\",\"correlation_id\":\"b\",\"event_type\":\"x\","
                        + "\"time\":1667924526}")
                .getDeadLetter();
        assertThat(top.getReason()).isEqualTo(DeadLetter.REASON_DUPLICATE_KEY);
        assertThat(top.getDetail()).contains("'correlation_id'").contains("/correlation_id");
        DeadLetter nested = parser.parse("{\"correlation_id\":\"a\",\"event_type\":\"x\",\"time\":1667924526,"
                        + "\"payload\":{\"team\":1,\"team\":2}}")
                .getDeadLetter();
        assertThat(nested.getReason()).isEqualTo(DeadLetter.REASON_DUPLICATE_KEY);
        assertThat(nested.getDetail()).contains("'team'").contains("/payload/team");
        String detail = "{\\\"correlation_id\\\":\\\"a\\\",\\\"time\\\":1,\\\"time\\\":2}";
        DeadLetter inDetail = parser.parse("{\"version\":\"0\",\"id\":\"e\",\"detail-type\":\"x\",\"source\":\"s\","
                        + "\"detail\":\"" + detail + "\"}")
                .getDeadLetter();
        assertThat(inDetail.getReason()).isEqualTo(DeadLetter.REASON_DUPLICATE_KEY);
        assertThat(inDetail.getDetail()).contains("'time'").contains("/detail/time");
    }

    @Test
    void recordWithCorrelationIdEventTypeAndTime_isFlat_evenWithItsOwnSourceAndDetail() {
        ProcessEvent e = event("{\"correlation_id\":\"p-1\",\"event_type\":\"project_requested\","
                + "\"time\":\"2022-11-08T16:22:06Z\",\"source\":\"crm\",\"version\":\"2\","
                + "\"detail\":{\"correlation_id\":\"other\",\"event_type\":\"other\",\"time\":1}}");
        assertThat(e.getCorrelationId()).isEqualTo("p-1");
        assertThat(e.getEventType()).isEqualTo("project_requested");
        assertThat(e.getTimeMs()).isEqualTo(T);
    }

    @Test
    void envelopeWithoutDetail_isMissingDetail() {
        assertThat(reason("{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":\"x\",\"source\":\"s\","
                        + "\"time\":\"2022-11-08T16:22:06Z\"}"))
                .isEqualTo(DeadLetter.REASON_MISSING_DETAIL);
        assertThat(reason("{\"source\":\"s\",\"detail\":null}")).isEqualTo(DeadLetter.REASON_MISSING_DETAIL);
        // one envelope-ish field alone does not make an envelope: read as a flat event missing its fields
        assertThat(reason("{\"source\":\"s\",\"correlation_id\":\"c\",\"event_type\":\"x\"}"))
                .isEqualTo(DeadLetter.REASON_MISSING_TIME);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"-1", "\"1969-12-31T23:59:59.999Z\"", "99999999999", "\"2200-01-01T00:00:00Z\"", "7258118400000"})
    void timeBefore1970_orFrom2200_isBadTimeNamingTheRange(String time) {
        DeadLetter d = parser.parse("{\"correlation_id\":\"c\",\"event_type\":\"x\",\"time\":" + time + "}")
                .getDeadLetter();
        assertThat(d).as("time %s", time).isNotNull();
        assertThat(d.getReason()).isEqualTo(DeadLetter.REASON_BAD_TIME);
        assertThat(d.getDetail())
                .contains(EventTimes.RANGE)
                .contains("1970-01-01T00:00:00Z")
                .contains("2200-01-01T00:00:00Z");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"0", "\"2199-12-31T23:59:59.999Z\""})
    void timesAtTheRangesEdgesInside_areAccepted(String time) {
        assertThat(event("{\"correlation_id\":\"c\",\"event_type\":\"x\",\"time\":" + time + "}")
                        .getTimeMs())
                .isBetween(EventTimes.MIN_EPOCH_MS, EventTimes.END_EPOCH_MS - 1);
    }

    @Test
    void futureTime_moreThanTheSkewAfterArrival_isADeadLetterNamingTimesAndSkew() {
        long skewMs = EventParser.DEFAULT_MAX_FUTURE_SKEW.toMillis();
        assertThat(skewMs).isEqualTo(15 * 60_000L);
        byte[] rec = FLAT.getBytes(StandardCharsets.UTF_8);
        DeadLetter d = parser.parse(rec, T - skewMs - 1).getDeadLetter();
        assertThat(d).isNotNull();
        assertThat(d.getReason()).isEqualTo(DeadLetter.REASON_FUTURE_TIME);
        assertThat(d.getDetail())
                .contains(EventTimes.iso(T))
                .contains(EventTimes.iso(T - skewMs - 1))
                .contains("PT15M");
        assertThat(d.getEventTimeMs()).isEqualTo(T);
        assertThat(parser.parse(FLAT, T - skewMs - 1).getDeadLetter().getReason())
                .isEqualTo(DeadLetter.REASON_FUTURE_TIME);
        assertThat(parser.parse(rec, T - skewMs).isEvent())
                .as("exactly the skew ahead")
                .isTrue();
        assertThat(parser.withMaxFutureSkew(Duration.ofHours(1))
                        .parse(rec, T - skewMs - 1)
                        .isEvent())
                .isTrue();
        assertThat(parser.withMaxFutureSkew(null).parse(rec, 0).isEvent())
                .as("null disables")
                .isTrue();
        assertThat(parser.withMaxFutureSkew(Duration.ZERO)
                        .parse(rec, T - 1)
                        .getDeadLetter()
                        .getReason())
                .isEqualTo(DeadLetter.REASON_FUTURE_TIME);
    }

    @Test
    void withoutArrival_noFutureCheck() {
        String far = "{\"correlation_id\":\"c\",\"event_type\":\"x\",\"time\":\"2199-01-01T00:00:00Z\"}";
        assertThat(parser.parse(far).isEvent()).isTrue();
        assertThat(parser.parse(far.getBytes(StandardCharsets.UTF_8)).isEvent()).isTrue();
        assertThat(parser.parse(far, EventParser.ARRIVAL_UNKNOWN).isEvent()).isTrue();
        assertThat(parser.parse(far, System.currentTimeMillis()).getDeadLetter().getReason())
                .isEqualTo(DeadLetter.REASON_FUTURE_TIME);
    }

    @Test
    void redriveOfALateDeadLetterLine_givesBackTheEvent() {
        ParsedRecord original = parser.parse(FLAT);
        DeadLetter late = DeadLetter.of("dedup", DeadLetter.REASON_LATE, "event time is behind the watermark", FLAT)
                .withEvent("p-1", T);
        String line = Json.line(late);
        assertThat(line).contains("\"stage\":\"dedup\"").contains("\"reason\":\"late\"");
        ParsedRecord again = parser.parse(line.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
        assertThat(again.isEvent()).as("%s", again.getDeadLetter()).isTrue();
        assertThat(again.getEvent()).isEqualTo(original.getEvent());
        assertThat(again.getRaw()).isEqualTo(FLAT);
        // the job may add an id to the file's dead letters; still recognised
        String withId = "{\"dead_letter_id\":\"abc\"," + line.substring(1);
        assertThat(parser.parse(withId).getEvent()).isEqualTo(original.getEvent());
    }

    @Test
    void redriveOfABadEncodingDeadLetterLine_restoresTheBytes() {
        byte[] ff = bytes("{\"correlation_id\":\"u", 0xff, "\\\\\",\"event_type\":\"x\",\"time\":1667924526}");
        DeadLetter first = parser.parse(ff).getDeadLetter();
        String line = Json.line(first);
        assertThat(line).contains("\"raw_base64\":");
        DeadLetter again = parser.parse(line.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis())
                .getDeadLetter();
        assertThat(again.getReason()).isEqualTo(DeadLetter.REASON_BAD_ENCODING);
        assertThat(Base64.getDecoder().decode(again.getRawBase64())).isEqualTo(ff);
        assertThat(again.getRaw()).isEqualTo(first.getRaw());
        // the bytes, not the readable raw, are re-driven: the same dead letter whose bytes are valid gives the event
        first.setRawBase64(Base64.getEncoder().encodeToString(FLAT.getBytes(StandardCharsets.UTF_8)));
        assertThat(parser.parse(Json.line(first)).getEvent())
                .isEqualTo(parser.parse(FLAT).getEvent());
    }

    @Test
    void redriveOfACappedRaw_orAnOutputRecord_isNotRedrivable() {
        StringBuilder big = new StringBuilder(
                "{\"correlation_id\":\"c\",\"event_type\":\"x\",\"time\":1667924526," + "\"payload\":{\"p\":\"");
        while (big.length() < DeadLetter.MAX_RAW_CHARS + 10) {
            big.append('x');
        }
        big.append("\"}}");
        EventParser defaults = new EventParser();
        assertThat(defaults.parse(big.toString()).isEvent()).isTrue();
        DeadLetter late = DeadLetter.of("dedup", DeadLetter.REASON_LATE, "late", big.toString());
        DeadLetter redriven = defaults.parse(Json.line(late)).getDeadLetter();
        assertThat(redriven.getReason()).isEqualTo(DeadLetter.REASON_NOT_REDRIVABLE);
        assertThat(redriven.getDetail()).contains("capped");
        DeadLetter sink = DeadLetter.of("sink:sns", DeadLetter.REASON_SINK_REJECTED, "rejected", FLAT);
        assertThat(parser.parse(Json.line(sink)).getDeadLetter().getReason())
                .isEqualTo(DeadLetter.REASON_NOT_REDRIVABLE);
    }
}
