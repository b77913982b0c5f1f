package io.flightcontroller.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.FrozenPayload;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.pipeline.RoutedEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The field-by-field copies of the records that pass between chained operators give what a round trip through the
 * record's format gives (the same bytes when written again), and share no mutable part with the original.
 */
class FieldCopyTest {

    private static <T> byte[] bytes(VersionedSerializer<T> s, T v) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(v, out);
        return out.getCopyOfBuffer();
    }

    private static <T> T roundTrip(VersionedSerializer<T> s, T v) throws IOException {
        return s.deserialize(new org.apache.flink.core.memory.DataInputDeserializer(bytes(s, v)));
    }

    private static ProcessEvent eventWithNestedPayload() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("ids", new ArrayList<>(Arrays.asList(1, 2L, "three", null, 4.5, 1.5f, true)));
        inner.put("big", new BigDecimal("12.3400"));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("container_id", "c-1");
        payload.put("nested", inner);
        payload.put("huge", new BigInteger("123456789012345678901234567890"));
        ProcessEvent e = ProcessEvent.of("ev-1", "case-1", "project_assigned", 1_700_000_000_123L, payload);
        e.setSeq(42);
        e.setLateWatermark(1_700_000_000_000L);
        return e;
    }

    @Test
    void anEventsCopyWritesTheBytesOfItsRoundTripAndSharesNoPayloadMap() throws Exception {
        DomainSerializers.ProcessEventSerializer s = new DomainSerializers.ProcessEventSerializer();
        ProcessEvent e = eventWithNestedPayload();
        ProcessEvent c = s.copy(e);
        assertThat(bytes(s, c)).isEqualTo(bytes(s, roundTrip(s, e))).isEqualTo(bytes(s, e));
        assertThat(c).isEqualTo(roundTrip(s, e));
        // mutating the original's nested parts leaves the copy as it was
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) e.getPayload().get("nested");
        ((List<Object>) nested.get("ids")).add("added later");
        nested.put("other", 1);
        assertThat(c.payloadField("nested.other")).isNull();
        assertThat((List<?>) c.payloadField("nested.ids")).hasSize(7);
        // an empty payload is normalised as the round trip normalises it
        ProcessEvent empty = ProcessEvent.of(null, "case-2", "project_requested", 5L, new LinkedHashMap<>());
        assertThat(bytes(s, s.copy(empty))).isEqualTo(bytes(s, roundTrip(s, empty)));
    }

    @Test
    void aParsedRecordsCopyIsItsRoundTripForEventsAndDeadLetters() throws Exception {
        DomainSerializers.ParsedRecordSerializer s = new DomainSerializers.ParsedRecordSerializer();
        ParsedRecord event = ParsedRecord.ofEvent(eventWithNestedPayload(), "{\"raw\":1}");
        ParsedRecord c = s.copy(event);
        assertThat(bytes(s, c)).isEqualTo(bytes(s, roundTrip(s, event)));
        assertThat(c.getEvent()).isNotSameAs(event.getEvent()).isEqualTo(event.getEvent());

        DeadLetter d = DeadLetter.of("parse", "malformed_json", "unexpected end", "{\"time\":")
                .withEvent("case-3", 9L);
        ParsedRecord dead = new ParsedRecord();
        dead.setDeadLetter(d);
        dead.setRaw("{\"time\":");
        ParsedRecord dc = s.copy(dead);
        assertThat(bytes(s, dc)).isEqualTo(bytes(s, roundTrip(s, dead)));
        assertThat(dc.getDeadLetter()).isNotSameAs(d);
        assertThat(dc.getDeadLetter().getCorrelationId()).isEqualTo("case-3");
    }

    @Test
    void aFrozenPayloadIsSharedByTheCopyWhichWritesTheBytesOfItsRoundTrip() throws Exception {
        ProcessEvent mutable = eventWithNestedPayload();
        ProcessEvent frozen = eventWithNestedPayload();
        frozen.setPayload(FrozenPayload.freeze(frozen.getPayload()));
        DomainSerializers.ProcessEventSerializer s = new DomainSerializers.ProcessEventSerializer();
        ProcessEvent c = s.copy(frozen);
        assertThat(c).isNotSameAs(frozen);
        assertThat(c.getPayload()).isSameAs(frozen.getPayload());
        assertThat(bytes(s, c)).isEqualTo(bytes(s, roundTrip(s, frozen))).isEqualTo(bytes(s, mutable));
        // a payload not frozen is still copied: the copy is not the original's map
        assertThat(s.copy(mutable).getPayload())
                .isNotSameAs(mutable.getPayload())
                .isEqualTo(mutable.getPayload());
        // a parsed record's copy (source -> cap -> split) shares it too
        DomainSerializers.ParsedRecordSerializer rs = new DomainSerializers.ParsedRecordSerializer();
        ParsedRecord r = ParsedRecord.ofEvent(frozen, "{\"raw\":1}");
        assertThat(rs.copy(r).getEvent().getPayload()).isSameAs(frozen.getPayload());
        assertThat(bytes(rs, rs.copy(r))).isEqualTo(bytes(rs, roundTrip(rs, r)));
    }

    @Test
    void aMeasurementsCopyIsItsRoundTripWithItsOwnDimensions() throws Exception {
        DomainSerializers.MeasurementSerializer s = new DomainSerializers.MeasurementSerializer();
        Measurement m = new Measurement();
        m.setMeasure("project_lead_time");
        m.setKind(io.flightcontroller.domain.measure.MeasureKind.LEAD_TIME);
        m.setCaseKey("case-1");
        m.setCorrelationId("case-1");
        m.setCycle(2);
        m.setStartMs(1L);
        m.setEndMs(61_001L);
        m.setValue(61_000);
        m.setMaxValue(3.5);
        m.setGood(Boolean.FALSE);
        m.setLate(true);
        m.setAfterTimeout(true);
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("account_id", "123");
        dims.put("region", null);
        m.setDimensions(dims);
        Measurement c = s.copy(m);
        assertThat(bytes(s, c)).isEqualTo(bytes(s, roundTrip(s, m)));
        dims.put("added", "later");
        assertThat(c.getDimensions()).containsOnlyKeys("account_id", "region");

        Measurement bare = new Measurement(); // null dimensions, max value and verdict
        bare.setMeasure("m");
        assertThat(bytes(s, s.copy(bare))).isEqualTo(bytes(s, roundTrip(s, bare)));
    }

    @Test
    void aRoutedEventsCopyIsItsRoundTripWithItsOwnEvent() throws Exception {
        RoutedEvent.Serializer s = new RoutedEvent.Serializer();
        RoutedEvent r = new RoutedEvent("project_lead_time", "case-1", eventWithNestedPayload(), true);
        RoutedEvent c = s.copy(r);
        assertThat(bytes(s, c)).isEqualTo(bytes(s, roundTrip(s, r))).isEqualTo(bytes(s, r));
        assertThat(c.event).isNotSameAs(r.event).isEqualTo(r.event);
        assertThat(c.caseKey).as("copied field by field, not read back").isSameAs(r.caseKey);
        r.event.getPayload().put("added", "later");
        assertThat(c.event.payloadField("added")).isNull();
        RoutedEvent bare = new RoutedEvent("m", null, ProcessEvent.of(null, "case-2", "t", 5L, null), false);
        assertThat(bytes(s, s.copy(bare))).isEqualTo(bytes(s, roundTrip(s, bare)));
    }

    @Test
    void anOutcomesCopyAndRoundTripKeepEveryFieldIncludingTheNullVerdictAndLead() throws Exception {
        DomainSerializers.OutcomeSerializer s = new DomainSerializers.OutcomeSerializer();
        Outcome decided = Outcome.of("project_lead_time", 1_700_000_000_123L, false, true, 86_400_001L);
        Outcome open = Outcome.of("project_assigned_lead_time", -5L, null, false, null);
        for (Outcome o : List.of(decided, open)) {
            Outcome back = roundTrip(s, o);
            Outcome c = s.copy(o);
            for (Outcome x : List.of(back, c)) {
                assertThat(x).isNotSameAs(o);
                assertThat(x.getMeasure()).isEqualTo(o.getMeasure());
                assertThat(x.getTimeMs()).isEqualTo(o.getTimeMs());
                assertThat(x.getGood()).isEqualTo(o.getGood());
                assertThat(x.isDecided()).isEqualTo(o.isDecided());
                assertThat(x.getLeadMs()).isEqualTo(o.getLeadMs());
            }
            assertThat(bytes(s, c)).isEqualTo(bytes(s, back)).isEqualTo(bytes(s, o));
        }
        // true, false and null verdicts are three different bytes
        assertThat(bytes(s, Outcome.of("m", 1L, true, true, 2L)))
                .isNotEqualTo(bytes(s, Outcome.of("m", 1L, false, true, 2L)))
                .isNotEqualTo(bytes(s, Outcome.of("m", 1L, null, true, 2L)));
    }
}
