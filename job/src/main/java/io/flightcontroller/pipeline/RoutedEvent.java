package io.flightcontroller.pipeline;

import io.flightcontroller.domain.ProcessEvent;

/**
 * An event routed to one measure: the measure's index in the measures file, the case key under that measure, the
 * event, and whether it arrived late (at or behind the watermark). Keyed by {@link #key()}.
 */
public class RoutedEvent {
    public int measure;
    public String caseKey;
    public ProcessEvent event;
    public boolean late;

    public RoutedEvent() {}

    /**
     * @param measure measure index
     * @param caseKey case key
     * @param event the event
     * @param late whether it arrived behind the watermark
     */
    public RoutedEvent(int measure, String caseKey, ProcessEvent event, boolean late) {
        this.measure = measure;
        this.caseKey = caseKey;
        this.event = event;
        this.late = late;
    }

    /** Its type, with its own serializer (v1: measure index, case key, a ProcessEvent record, late flag). */
    static final org.apache.flink.api.common.typeinfo.TypeInformation<RoutedEvent> TYPE =
            new io.flightcontroller.serialization.VersionedSerializer.Info<>(RoutedEvent.class, Serializer::new);

    /** The serializer of {@link #TYPE}. */
    public static final class Serializer
            extends io.flightcontroller.serialization.VersionedSerializer<RoutedEvent> {
        private static final long serialVersionUID = 1L;
        private final io.flightcontroller.serialization.DomainSerializers.ProcessEventSerializer events =
                new io.flightcontroller.serialization.DomainSerializers.ProcessEventSerializer();

        @Override protected int version() { return 1; }
        @Override protected String typeName() { return "RoutedEvent"; }
        @Override public RoutedEvent createInstance() { return new RoutedEvent(); }

        @Override
        protected void write(RoutedEvent r, org.apache.flink.core.memory.DataOutputView out) throws java.io.IOException {
            out.writeInt(r.measure);
            org.apache.flink.types.StringValue.writeString(r.caseKey, out);
            events.serialize(r.event, out);
            out.writeBoolean(r.late);
        }

        @Override
        protected RoutedEvent read(int version, org.apache.flink.core.memory.DataInputView in) throws java.io.IOException {
            int measure = in.readInt();
            String caseKey = org.apache.flink.types.StringValue.readString(in);
            return new RoutedEvent(measure, caseKey, events.deserialize(in), in.readBoolean());
        }

        @Override
        public org.apache.flink.api.common.typeutils.TypeSerializerSnapshot<RoutedEvent> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Snapshot of {@link Serializer}. */
    public static final class Snapshot
            extends org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot<RoutedEvent> {
        public Snapshot() {
            super(Serializer::new);
        }
    }

    /** @return the keyed-state key: {@code <measure index>:<case key>} */
    public String key() {
        return measure + ":" + caseKey;
    }
}
