package io.flightcontroller.adapters.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.DeadLetter;
import io.flightcontroller.domain.ParsedRecord;
import io.flightcontroller.domain.ProcessEvent;
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
        assertThat(event("{\"aggregate_id\":\"a-7\",\"event_type\":\"x\",\"time\":1667924526000}").getCorrelationId())
                .isEqualTo("a-7");
        assertThat(event("{\"correlation_id\":42,\"event_type\":\"x\",\"time\":1667924526}").getCorrelationId())
                .isEqualTo("42");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"2022-11-08T17:22:06+01:00\"", "\"2022-11-08T16:22:06Z\"", "1667924526", "\"1667924526\"",
        "1667924526000", "\"1667924526000\""})
    void everyTimeFormat(String time) {
        assertThat(event("{\"correlation_id\":\"c\",\"event_type\":\"x\",\"time\":" + time + "}").getTimeMs()).isEqualTo(T);
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
        StringBuilder big = new StringBuilder("{\"correlation_id\":\"c\",\"event_type\":\"x\",\"time\":1,\"payload\":\"");
        for (int i = 0; i < 5000; i++) {
            big.append('x');
        }
        big.append("\"}");
        ParsedRecord r = parser.parse(big.toString());
        assertThat(r.getDeadLetter().getReason()).isEqualTo(DeadLetter.REASON_OVERSIZED);
        assertThat(r.getDeadLetter().getRaw().length()).isLessThan(big.length());
    }
}
