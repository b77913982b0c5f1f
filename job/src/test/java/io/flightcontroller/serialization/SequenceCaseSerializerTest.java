package io.flightcontroller.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.domain.engine.CasePhase;
import io.flightcontroller.domain.engine.SequenceCase;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.serialization.DomainSerializers.SequenceCaseSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link SequenceCaseSerializer}'s v2 format: every field comes back exactly (extreme times included), records written
 * by v1 still read, and an open case is small (issue 16's 512 B per open case; v1 took 79 bytes for this value alone).
 */
class SequenceCaseSerializerTest {
    private static final SequenceCaseSerializer SERIALIZER = new SequenceCaseSerializer();
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private static byte[] bytes(SequenceCase c) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(c, out);
        return out.getCopyOfBuffer();
    }

    private static SequenceCase read(byte[] b) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(b);
        SequenceCase c = SERIALIZER.deserialize(in);
        assertThat(in.available()).as("bytes left after the record").isZero();
        return c;
    }

    private static SequenceCase openAtFirstStep() {
        SequenceCase c = new SequenceCase();
        c.phase = CasePhase.OPEN;
        c.reached = 1;
        c.startMs = T0;
        c.stepMs = new long[] {T0, 0, 0};
        c.firstSeq = 41_234;
        c.timerMs = T0 + 7 * 86_400_000L;
        return c;
    }

    private static ProcessEvent event(String type, long timeMs) {
        ProcessEvent e = new ProcessEvent();
        e.setEventId("e-" + timeMs);
        e.setCorrelationId("c-1");
        e.setEventType(type);
        e.setTimeMs(timeMs);
        e.setIdentity(0x5DEECE66DL);
        e.setSeq(7);
        e.setLateWatermark(Long.MIN_VALUE);
        return e;
    }

    private static List<SequenceCase> variety() {
        List<SequenceCase> all = new ArrayList<>();
        all.add(new SequenceCase()); // idle, nothing set
        all.add(openAtFirstStep());
        SequenceCase second = openAtFirstStep();
        second.reached = 2;
        second.stepMs[1] = T0 + 3_600_000;
        second.correlationId = "another-id";
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("team", "platform");
        dims.put("region", "eu-west-1");
        second.dimensions = dims;
        all.add(second);
        SequenceCase done = openAtFirstStep();
        done.phase = CasePhase.DONE;
        done.reached = 3;
        done.stepMs = null;
        done.closedAtMs = T0 + 90_000_000;
        done.breached = true;
        done.dimensions = new LinkedHashMap<>();
        all.add(done);
        SequenceCase timedOut = openAtFirstStep();
        timedOut.phase = CasePhase.TIMED_OUT;
        timedOut.closedAtMs = T0 + 7 * 86_400_000L;
        timedOut.pending = new ArrayList<>(Arrays.asList(event("project_created", T0 + 8 * 86_400_000L)));
        all.add(timedOut);
        SequenceCase extreme = openAtFirstStep();
        extreme.startMs = Long.MIN_VALUE;
        extreme.stepMs = new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, 0};
        extreme.firstSeq = Long.MIN_VALUE;
        extreme.closedAtMs = Long.MAX_VALUE;
        extreme.timerMs = Long.MIN_VALUE;
        extreme.pending = new ArrayList<>();
        all.add(extreme);
        SequenceCase zeroInside = openAtFirstStep();
        zeroInside.startMs = -5;
        zeroInside.stepMs = new long[] {-5, 0, 12}; // a 0 before the last set step is written, not dropped
        all.add(zeroInside);
        return all;
    }

    @Test
    void everyField_comesBackExactly_includingExtremeTimesAndZerosInsideTheSteps() throws IOException {
        for (SequenceCase c : variety()) {
            SequenceCase back = read(bytes(c));
            assertThat(back).usingRecursiveComparison().isEqualTo(c);
            assertThat(bytes(back)).as("written again").isEqualTo(bytes(c));
        }
    }

    @Test
    void anOpenCaseAtItsFirstStep_takesAThirdOfV1sBytes() throws IOException {
        // v1: version 1 + phase 4 + reached 4 + startMs 8 + count 4 + 3 steps 24 + firstSeq 8 + null string 1
        // + dimensions 4 + breached 1 + closedAtMs 8 + pending 4 + timerMs 8 = 79
        assertThat(bytes(openAtFirstStep()).length).isLessThanOrEqualTo(26);
    }

    @Test
    void aRecordWrittenByV1_stillReads() throws IOException {
        for (SequenceCase c : variety()) {
            assertThat(read(v1(c))).usingRecursiveComparison().isEqualTo(c);
        }
    }

    @Test
    void aVersionNewerThanTheSerializers_isRefusedNamingTheType() {
        assertThatThrownBy(() -> read(new byte[] {3, 0}))
                .hasMessageContaining("SequenceCase")
                .hasMessageContaining("3");
    }

    @Test
    void varLong_roundTripsEveryBoundary_andSmallNumbersTakeOneByte() throws IOException {
        long[] values = {
            0, 1, -1, 63, -64, 64, -65, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, T0, -T0
        };
        for (long v : values) {
            DataOutputSerializer out = new DataOutputSerializer(16);
            Fields.varLong(v, out);
            DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
            assertThat(Fields.varLong(in)).isEqualTo(v);
            assertThat(in.available()).isZero();
            if (v >= -64 && v <= 63) {
                assertThat(out.length()).as("bytes for %d", v).isEqualTo(1);
            }
            assertThat(out.length()).isLessThanOrEqualTo(10);
        }
    }

    /** The v1 format, as the serializer wrote it before v2 (the committed snapshots of SequenceStateUpgradeTest too). */
    private static byte[] v1(SequenceCase s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeByte(1);
        out.writeInt(s.phase.ordinal());
        out.writeInt(s.reached);
        out.writeLong(s.startMs);
        out.writeInt(s.stepMs == null ? -1 : s.stepMs.length);
        if (s.stepMs != null) {
            for (long t : s.stepMs) {
                out.writeLong(t);
            }
        }
        out.writeLong(s.firstSeq);
        Fields.string(s.correlationId, out);
        Fields.stringMap(s.dimensions, out);
        out.writeBoolean(s.breached);
        out.writeLong(s.closedAtMs);
        out.writeInt(s.pending == null ? -1 : s.pending.size());
        if (s.pending != null) {
            DomainSerializers.ProcessEventSerializer events = new DomainSerializers.ProcessEventSerializer();
            for (ProcessEvent e : s.pending) {
                events.serialize(e, out);
            }
        }
        out.writeLong(s.timerMs);
        return out.getCopyOfBuffer();
    }
}
