package io.flightcontroller.serialization;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.engine.BurnRateState;
import io.flightcontroller.domain.engine.CasePhase;
import io.flightcontroller.domain.engine.CaseState;
import io.flightcontroller.domain.engine.SequenceCase;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasureKind;
import io.flightcontroller.domain.result.Measurement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The serializers of the domain records that are not plain Flink POJOs (they hold payload maps, lists of events,
 * dimension maps or sorted buckets), and their {@link TypeInformation}s, and of {@link Outcome} between tasks (one per
 * measured case: see {@link #OUTCOME}). Every other record type the job ships or keeps ({@code Alert}, {@code OpenCase},
 * {@code WindowAggregate}, {@code ErrorBudget}, and {@code Outcome} in the window operator's state) is a Flink POJO
 * with the POJO serializer's own schema evolution. Format versions: see each class.
 */
public final class DomainSerializers {
    private DomainSerializers() {}

    /** {@link ProcessEvent}. */
    public static final TypeInformation<ProcessEvent> PROCESS_EVENT =
            new VersionedSerializer.Info<>(ProcessEvent.class, ProcessEventSerializer::new);
    /** {@link ParsedRecord}. */
    public static final TypeInformation<ParsedRecord> PARSED_RECORD =
            new VersionedSerializer.Info<>(ParsedRecord.class, ParsedRecordSerializer::new);
    /** {@link Measurement}. */
    public static final TypeInformation<Measurement> MEASUREMENT =
            new VersionedSerializer.Info<>(Measurement.class, MeasurementSerializer::new);
    /** {@link CaseState} (keyed state of the measuring operator). */
    public static final TypeInformation<CaseState> CASE_STATE =
            new VersionedSerializer.Info<>(CaseState.class, CaseStateSerializer::new);
    /** {@link SequenceCase} (keyed state of a sequence operator). */
    public static final TypeInformation<SequenceCase> SEQUENCE_CASE =
            new VersionedSerializer.Info<>(SequenceCase.class, SequenceCaseSerializer::new);
    /** {@link BurnRateState} (keyed state of the burn-rate operator). */
    public static final TypeInformation<BurnRateState> BURN_RATE_STATE =
            new VersionedSerializer.Info<>(BurnRateState.class, BurnRateStateSerializer::new);

    /**
     * {@link Outcome} between tasks (the outcomes side output, to the burn-rate and window operators): about one per
     * event in the benchmark's workload, where Flink's POJO serializer (reflective field access, a boxed long per
     * field read, a created instance per record) took 5.6 % of the samples of the whole job (`benchmark/README.md`,
     * "Results: 2026-12-03, night"). Network only: the window operator keeps its outcomes in state with the POJO
     * serializer still, so that savepoints restore unchanged.
     */
    public static final TypeInformation<Outcome> OUTCOME =
            new VersionedSerializer.Info<>(Outcome.class, OutcomeSerializer::new);

    /**
     * v1: eventId, correlationId, eventType (strings), timeMs, payload (see {@link Fields}), identity, seq,
     * lateWatermark (longs).
     */
    public static final class ProcessEventSerializer extends VersionedSerializer<ProcessEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        protected int version() {
            return 1;
        }

        @Override
        protected String typeName() {
            return "ProcessEvent";
        }

        @Override
        public ProcessEvent createInstance() {
            return new ProcessEvent();
        }

        @Override
        protected void write(ProcessEvent e, DataOutputView out) throws IOException {
            Fields.string(e.getEventId(), out);
            Fields.string(e.getCorrelationId(), out);
            Fields.string(e.getEventType(), out);
            out.writeLong(e.getTimeMs());
            Fields.payload(e.getPayload().isEmpty() ? null : e.getPayload(), out);
            out.writeLong(e.getIdentity());
            out.writeLong(e.getSeq());
            out.writeLong(e.getLateWatermark());
        }

        @Override
        protected ProcessEvent read(int version, DataInputView in) throws IOException {
            ProcessEvent e = new ProcessEvent();
            e.setEventId(Fields.string(in));
            e.setCorrelationId(Fields.string(in));
            e.setEventType(Fields.string(in));
            e.setTimeMs(in.readLong());
            e.setPayload(Fields.payload(in));
            e.setIdentity(in.readLong());
            e.setSeq(in.readLong());
            e.setLateWatermark(in.readLong());
            return e;
        }

        @Override
        protected ProcessEvent fieldCopy(ProcessEvent e) {
            return copyEvent(e);
        }

        static ProcessEvent copyEvent(ProcessEvent e) {
            ProcessEvent c = new ProcessEvent();
            c.setEventId(e.getEventId());
            c.setCorrelationId(e.getCorrelationId());
            c.setEventType(e.getEventType());
            c.setTimeMs(e.getTimeMs());
            c.setPayload(e.getPayload().isEmpty() ? null : copyPayload(e.getPayload()));
            c.setIdentity(e.getIdentity());
            c.setSeq(e.getSeq());
            c.setLateWatermark(e.getLateWatermark());
            return c;
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> copyPayload(Map<String, Object> p) {
            return (Map<String, Object>) Fields.copyValue(p);
        }

        @Override
        public TypeSerializerSnapshot<ProcessEvent> snapshotConfiguration() {
            return new ProcessEventSnapshot();
        }
    }

    /** Snapshot of {@link ProcessEventSerializer}. */
    public static final class ProcessEventSnapshot extends SimpleTypeSerializerSnapshot<ProcessEvent> {
        public ProcessEventSnapshot() {
            super(ProcessEventSerializer::new);
        }
    }

    /**
     * v1: raw (string), then a byte: 1 event (a {@link ProcessEventSerializer} record) or 2 dead letter (stage,
     * reason, detail, raw, correlationId, eventTimeMs, rawBase64).
     */
    public static final class ParsedRecordSerializer extends VersionedSerializer<ParsedRecord> {
        private static final long serialVersionUID = 1L;
        private final ProcessEventSerializer events = new ProcessEventSerializer();

        @Override
        protected int version() {
            return 1;
        }

        @Override
        protected String typeName() {
            return "ParsedRecord";
        }

        @Override
        public ParsedRecord createInstance() {
            return new ParsedRecord();
        }

        @Override
        protected void write(ParsedRecord r, DataOutputView out) throws IOException {
            Fields.string(r.getRaw(), out);
            if (r.isEvent()) {
                out.writeByte(1);
                events.serialize(r.getEvent(), out);
            } else {
                out.writeByte(2);
                deadLetter(r.getDeadLetter(), out);
            }
        }

        @Override
        protected ParsedRecord read(int version, DataInputView in) throws IOException {
            ParsedRecord r = new ParsedRecord();
            r.setRaw(Fields.string(in));
            if (in.readUnsignedByte() == 1) {
                r.setEvent(events.deserialize(in));
            } else {
                r.setDeadLetter(deadLetter(in));
            }
            return r;
        }

        private static void deadLetter(DeadLetter d, DataOutputView out) throws IOException {
            Fields.string(d.getStage(), out);
            Fields.string(d.getReason(), out);
            Fields.string(d.getDetail(), out);
            Fields.string(d.getRaw(), out);
            Fields.string(d.getCorrelationId(), out);
            Fields.longObj(d.getEventTimeMs(), out);
            Fields.string(d.getRawBase64(), out);
        }

        private static DeadLetter deadLetter(DataInputView in) throws IOException {
            DeadLetter d = new DeadLetter();
            d.setStage(Fields.string(in));
            d.setReason(Fields.string(in));
            d.setDetail(Fields.string(in));
            d.setRaw(Fields.string(in));
            d.setCorrelationId(Fields.string(in));
            d.setEventTimeMs(Fields.longObj(in));
            d.setRawBase64(Fields.string(in));
            return d;
        }

        @Override
        protected ParsedRecord fieldCopy(ParsedRecord r) {
            if (!r.isEvent() && r.getDeadLetter() == null) {
                return null; // as malformed for the format as for the round trip, which says so
            }
            ParsedRecord c = new ParsedRecord();
            c.setRaw(r.getRaw());
            if (r.isEvent()) {
                c.setEvent(ProcessEventSerializer.copyEvent(r.getEvent()));
            } else {
                DeadLetter d = r.getDeadLetter();
                DeadLetter e = new DeadLetter();
                e.setStage(d.getStage());
                e.setReason(d.getReason());
                e.setDetail(d.getDetail());
                e.setRaw(d.getRaw());
                e.setCorrelationId(d.getCorrelationId());
                e.setEventTimeMs(d.getEventTimeMs());
                e.setRawBase64(d.getRawBase64());
                c.setDeadLetter(e);
            }
            return c;
        }

        @Override
        public TypeSerializerSnapshot<ParsedRecord> snapshotConfiguration() {
            return new ParsedRecordSnapshot();
        }
    }

    /** Snapshot of {@link ParsedRecordSerializer}. */
    public static final class ParsedRecordSnapshot extends SimpleTypeSerializerSnapshot<ParsedRecord> {
        public ParsedRecordSnapshot() {
            super(ParsedRecordSerializer::new);
        }
    }

    /**
     * v1: measure, kind, caseKey, correlationId (strings), cycle (int), startMs, endMs (longs), value (double),
     * maxValue (nullable double), good (nullable boolean), late, afterTimeout (booleans), dimensions (string map).
     */
    public static final class MeasurementSerializer extends VersionedSerializer<Measurement> {
        private static final long serialVersionUID = 1L;

        @Override
        protected int version() {
            return 1;
        }

        @Override
        protected String typeName() {
            return "Measurement";
        }

        @Override
        public Measurement createInstance() {
            return new Measurement();
        }

        @Override
        protected void write(Measurement m, DataOutputView out) throws IOException {
            Fields.string(m.getMeasure(), out);
            Fields.string(m.getKind() == null ? null : m.getKind().yamlName(), out);
            Fields.string(m.getCaseKey(), out);
            Fields.string(m.getCorrelationId(), out);
            out.writeInt(m.getCycle());
            out.writeLong(m.getStartMs());
            out.writeLong(m.getEndMs());
            out.writeDouble(m.getValue());
            Fields.doubleObj(m.getMaxValue(), out);
            Fields.booleanObj(m.getGood(), out);
            out.writeBoolean(m.isLate());
            out.writeBoolean(m.isAfterTimeout());
            Fields.stringMap(m.getDimensions(), out);
        }

        @Override
        protected Measurement read(int version, DataInputView in) throws IOException {
            Measurement m = new Measurement();
            m.setMeasure(Fields.string(in));
            String kind = Fields.string(in);
            m.setKind(kind == null ? null : MeasureKind.parse(kind));
            m.setCaseKey(Fields.string(in));
            m.setCorrelationId(Fields.string(in));
            m.setCycle(in.readInt());
            m.setStartMs(in.readLong());
            m.setEndMs(in.readLong());
            m.setValue(in.readDouble());
            m.setMaxValue(Fields.doubleObj(in));
            m.setGood(Fields.booleanObj(in));
            m.setLate(in.readBoolean());
            m.setAfterTimeout(in.readBoolean());
            m.setDimensions(Fields.stringMap(in));
            return m;
        }

        @Override
        protected Measurement fieldCopy(Measurement m) {
            Measurement c = new Measurement();
            c.setMeasure(m.getMeasure());
            c.setKind(m.getKind());
            c.setCaseKey(m.getCaseKey());
            c.setCorrelationId(m.getCorrelationId());
            c.setCycle(m.getCycle());
            c.setStartMs(m.getStartMs());
            c.setEndMs(m.getEndMs());
            c.setValue(m.getValue());
            c.setMaxValue(m.getMaxValue());
            c.setGood(m.getGood());
            c.setLate(m.isLate());
            c.setAfterTimeout(m.isAfterTimeout());
            c.setDimensions(Fields.copyStringMap(m.getDimensions()));
            return c;
        }

        @Override
        public TypeSerializerSnapshot<Measurement> snapshotConfiguration() {
            return new MeasurementSnapshot();
        }
    }

    /** v1: measure (string), timeMs (long), good (null, false, true as one byte), decided, leadMs (nullable long). */
    public static final class OutcomeSerializer extends VersionedSerializer<Outcome> {
        private static final long serialVersionUID = 1L;

        @Override
        protected int version() {
            return 1;
        }

        @Override
        protected String typeName() {
            return "Outcome";
        }

        @Override
        public Outcome createInstance() {
            return new Outcome();
        }

        @Override
        protected void write(Outcome o, DataOutputView out) throws IOException {
            Fields.string(o.getMeasure(), out);
            out.writeLong(o.getTimeMs());
            Fields.booleanObj(o.getGood(), out);
            out.writeBoolean(o.isDecided());
            Fields.longObj(o.getLeadMs(), out);
        }

        @Override
        protected Outcome read(int version, DataInputView in) throws IOException {
            String measure = Fields.string(in);
            long timeMs = in.readLong();
            Boolean good = Fields.booleanObj(in);
            boolean decided = in.readBoolean();
            return Outcome.of(measure, timeMs, good, decided, Fields.longObj(in));
        }

        @Override
        protected Outcome fieldCopy(Outcome o) {
            // every field is a string, a primitive or an immutable box
            return Outcome.of(o.getMeasure(), o.getTimeMs(), o.getGood(), o.isDecided(), o.getLeadMs());
        }

        @Override
        public TypeSerializerSnapshot<Outcome> snapshotConfiguration() {
            return new OutcomeSnapshot();
        }
    }

    /** Snapshot of {@link OutcomeSerializer}. */
    public static final class OutcomeSnapshot extends SimpleTypeSerializerSnapshot<Outcome> {
        public OutcomeSnapshot() {
            super(OutcomeSerializer::new);
        }
    }

    /** Snapshot of {@link MeasurementSerializer}. */
    public static final class MeasurementSnapshot extends SimpleTypeSerializerSnapshot<Measurement> {
        public MeasurementSnapshot() {
            super(MeasurementSerializer::new);
        }
    }

    /**
     * v1: phase, cycle (ints), startMs, closedAtMs (longs), correlationId (string), dimensions (string map),
     * cycleCount, total, maxCycleCount (longs), breached (boolean), timerMs (long), pending (count, then
     * {@link ProcessEventSerializer} records; -1 for none).
     */
    public static final class CaseStateSerializer extends VersionedSerializer<CaseState> {
        private static final long serialVersionUID = 1L;
        private final ProcessEventSerializer events = new ProcessEventSerializer();

        @Override
        protected int version() {
            return 1;
        }

        @Override
        protected String typeName() {
            return "CaseState";
        }

        @Override
        public CaseState createInstance() {
            return new CaseState();
        }

        @Override
        protected void write(CaseState s, DataOutputView out) throws IOException {
            out.writeInt(s.phase.ordinal());
            out.writeInt(s.cycle);
            out.writeLong(s.startMs);
            out.writeLong(s.closedAtMs);
            Fields.string(s.correlationId, out);
            Fields.stringMap(s.dimensions, out);
            out.writeLong(s.cycleCount);
            out.writeLong(s.total);
            out.writeLong(s.maxCycleCount);
            out.writeBoolean(s.breached);
            out.writeLong(s.timerMs);
            out.writeInt(s.pending == null ? -1 : s.pending.size());
            if (s.pending != null) {
                for (ProcessEvent e : s.pending) {
                    events.serialize(e, out);
                }
            }
        }

        @Override
        protected CaseState read(int version, DataInputView in) throws IOException {
            CaseState s = new CaseState();
            s.phase = CasePhase.ofOrdinal(in.readInt());
            s.cycle = in.readInt();
            s.startMs = in.readLong();
            s.closedAtMs = in.readLong();
            s.correlationId = Fields.string(in);
            s.dimensions = Fields.stringMap(in);
            s.cycleCount = in.readLong();
            s.total = in.readLong();
            s.maxCycleCount = in.readLong();
            s.breached = in.readBoolean();
            s.timerMs = in.readLong();
            int n = in.readInt();
            if (n >= 0) {
                List<ProcessEvent> pending = new ArrayList<>(Math.max(n, 2));
                for (int i = 0; i < n; i++) {
                    pending.add(events.deserialize(in));
                }
                s.pending = pending;
            }
            return s;
        }

        @Override
        public TypeSerializerSnapshot<CaseState> snapshotConfiguration() {
            return new CaseStateSnapshot();
        }
    }

    /** Snapshot of {@link CaseStateSerializer}. */
    public static final class CaseStateSnapshot extends SimpleTypeSerializerSnapshot<CaseState> {
        public CaseStateSnapshot() {
            super(CaseStateSerializer::new);
        }
    }

    /** v1: buckets (count, then bucket start, good, bad), firing (count, then rule id, since). */
    public static final class BurnRateStateSerializer extends VersionedSerializer<BurnRateState> {
        private static final long serialVersionUID = 1L;

        @Override
        protected int version() {
            return 1;
        }

        @Override
        protected String typeName() {
            return "BurnRateState";
        }

        @Override
        public BurnRateState createInstance() {
            return new BurnRateState();
        }

        @Override
        protected void write(BurnRateState s, DataOutputView out) throws IOException {
            out.writeInt(s.buckets.size());
            for (Map.Entry<Long, long[]> b : s.buckets.entrySet()) {
                out.writeLong(b.getKey());
                out.writeLong(b.getValue()[0]);
                out.writeLong(b.getValue()[1]);
            }
            out.writeInt(s.firing.size());
            for (Map.Entry<String, Long> f : s.firing.entrySet()) {
                Fields.string(f.getKey(), out);
                out.writeLong(f.getValue());
            }
        }

        @Override
        protected BurnRateState read(int version, DataInputView in) throws IOException {
            BurnRateState s = new BurnRateState();
            s.buckets = new TreeMap<>();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                s.buckets.put(in.readLong(), new long[] {in.readLong(), in.readLong()});
            }
            s.firing = new HashMap<>();
            int f = in.readInt();
            for (int i = 0; i < f; i++) {
                s.firing.put(Fields.string(in), in.readLong());
            }
            return s;
        }

        @Override
        public TypeSerializerSnapshot<BurnRateState> snapshotConfiguration() {
            return new BurnRateStateSnapshot();
        }
    }

    /** Snapshot of {@link BurnRateStateSerializer}. */
    public static final class BurnRateStateSnapshot extends SimpleTypeSerializerSnapshot<BurnRateState> {
        public BurnRateStateSnapshot() {
            super(BurnRateStateSerializer::new);
        }
    }

    /**
     * v2 (written now; issue 16's 512 B per open case): the same fields, small numbers as zig-zag varints
     * ({@link Fields#varLong}) and times as differences: phase (byte), reached, startMs, stepMs (count, -1 for none; the
     * number of leading entries written, the rest being 0; each the difference to the one before, the first to
     * startMs), firstSeq, correlationId (string), dimensions (count, -1 for none; string pairs), flags (byte: 1 breached,
     * 2 closedAtMs is not 0, 4 timerMs is not {@link Long#MAX_VALUE}), closedAtMs and timerMs when flagged (differences
     * to startMs), pending (count, -1 for none; {@link ProcessEventSerializer} records). An open case at its first step
     * of three: about 25 bytes where v1 took 79 (measured: {@code SequenceCaseSerializerTest}).
     *
     * <p>v1 (read only): phase, reached (ints), startMs (long), stepMs (count, longs; -1 for none), firstSeq (long),
     * correlationId (string), dimensions (string map), breached (boolean), closedAtMs (long), pending (count, then
     * {@link ProcessEventSerializer} records; -1 for none), timerMs (long).
     */
    public static final class SequenceCaseSerializer extends VersionedSerializer<SequenceCase> {
        private static final long serialVersionUID = 1L;
        private static final int BREACHED = 1;
        private static final int CLOSED_AT = 2;
        private static final int TIMER = 4;
        private final ProcessEventSerializer events = new ProcessEventSerializer();

        @Override
        protected int version() {
            return 2;
        }

        @Override
        protected String typeName() {
            return "SequenceCase";
        }

        @Override
        public SequenceCase createInstance() {
            return new SequenceCase();
        }

        @Override
        protected void write(SequenceCase s, DataOutputView out) throws IOException {
            out.writeByte(s.phase.ordinal());
            Fields.varLong(s.reached, out);
            Fields.varLong(s.startMs, out);
            if (s.stepMs == null) {
                Fields.varLong(-1, out);
            } else {
                Fields.varLong(s.stepMs.length, out);
                int written = s.stepMs.length;
                while (written > 0 && s.stepMs[written - 1] == 0) {
                    written--;
                }
                Fields.varLong(written, out);
                long before = s.startMs;
                for (int i = 0; i < written; i++) {
                    Fields.varLong(s.stepMs[i] - before, out); // wraps exactly, as the read adds it back
                    before = s.stepMs[i];
                }
            }
            Fields.varLong(s.firstSeq, out);
            Fields.string(s.correlationId, out);
            Fields.varLong(s.dimensions == null ? -1 : s.dimensions.size(), out);
            if (s.dimensions != null) {
                for (Map.Entry<String, String> d : s.dimensions.entrySet()) {
                    Fields.string(d.getKey(), out);
                    Fields.string(d.getValue(), out);
                }
            }
            boolean closedAt = s.closedAtMs != 0;
            boolean timer = s.timerMs != Long.MAX_VALUE;
            out.writeByte((s.breached ? BREACHED : 0) | (closedAt ? CLOSED_AT : 0) | (timer ? TIMER : 0));
            if (closedAt) {
                Fields.varLong(s.closedAtMs - s.startMs, out);
            }
            if (timer) {
                Fields.varLong(s.timerMs - s.startMs, out);
            }
            Fields.varLong(s.pending == null ? -1 : s.pending.size(), out);
            if (s.pending != null) {
                for (ProcessEvent e : s.pending) {
                    events.serialize(e, out);
                }
            }
        }

        @Override
        protected SequenceCase read(int version, DataInputView in) throws IOException {
            return version == 1 ? readV1(in) : readV2(in);
        }

        private SequenceCase readV2(DataInputView in) throws IOException {
            SequenceCase s = new SequenceCase();
            s.phase = CasePhase.ofOrdinal(in.readUnsignedByte());
            s.reached = (int) Fields.varLong(in);
            s.startMs = Fields.varLong(in);
            int n = (int) Fields.varLong(in);
            if (n >= 0) {
                s.stepMs = new long[n];
                int written = (int) Fields.varLong(in);
                long before = s.startMs;
                for (int i = 0; i < written; i++) {
                    s.stepMs[i] = before + Fields.varLong(in);
                    before = s.stepMs[i];
                }
            }
            s.firstSeq = Fields.varLong(in);
            s.correlationId = Fields.string(in);
            int d = (int) Fields.varLong(in);
            if (d >= 0) {
                s.dimensions = new LinkedHashMap<>(Math.max(4, d * 2));
                for (int i = 0; i < d; i++) {
                    s.dimensions.put(Fields.string(in), Fields.string(in));
                }
            }
            int flags = in.readUnsignedByte();
            s.breached = (flags & BREACHED) != 0;
            s.closedAtMs = (flags & CLOSED_AT) != 0 ? s.startMs + Fields.varLong(in) : 0;
            s.timerMs = (flags & TIMER) != 0 ? s.startMs + Fields.varLong(in) : Long.MAX_VALUE;
            s.pending = readPending((int) Fields.varLong(in), in);
            return s;
        }

        private SequenceCase readV1(DataInputView in) throws IOException {
            SequenceCase s = new SequenceCase();
            s.phase = CasePhase.ofOrdinal(in.readInt());
            s.reached = in.readInt();
            s.startMs = in.readLong();
            int n = in.readInt();
            if (n >= 0) {
                s.stepMs = new long[n];
                for (int i = 0; i < n; i++) {
                    s.stepMs[i] = in.readLong();
                }
            }
            s.firstSeq = in.readLong();
            s.correlationId = Fields.string(in);
            s.dimensions = Fields.stringMap(in);
            s.breached = in.readBoolean();
            s.closedAtMs = in.readLong();
            s.pending = readPending(in.readInt(), in);
            s.timerMs = in.readLong();
            return s;
        }

        private List<ProcessEvent> readPending(int p, DataInputView in) throws IOException {
            if (p < 0) {
                return null;
            }
            List<ProcessEvent> pending = new ArrayList<>(Math.max(p, 2));
            for (int i = 0; i < p; i++) {
                pending.add(events.deserialize(in));
            }
            return pending;
        }

        @Override
        public TypeSerializerSnapshot<SequenceCase> snapshotConfiguration() {
            return new SequenceCaseSnapshot();
        }
    }

    /** Snapshot of {@link SequenceCaseSerializer}. */
    public static final class SequenceCaseSnapshot extends SimpleTypeSerializerSnapshot<SequenceCase> {
        public SequenceCaseSnapshot() {
            super(SequenceCaseSerializer::new);
        }
    }
}
