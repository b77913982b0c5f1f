package io.flightcontroller.adapters.timestream;

import io.flightcontroller.adapters.SinkStateSerializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.timestreamwrite.model.Dimension;
import software.amazon.awssdk.services.timestreamwrite.model.MeasureValue;
import software.amazon.awssdk.services.timestreamwrite.model.Record;

/**
 * Checkpoint serializer of the records a {@link TimestreamSinkWriter} holds in its buffer: each Timestream
 * {@link Record}'s fields, explicitly (no Java serialization of SDK objects), so a restored record is equal to the
 * buffered one, version included (a retried record keeps its version, see {@link TimestreamSink}).
 *
 * <p>Shape (format {@value SinkStateSerializer#VERSION}, strings as in {@link SinkStateSerializer}, enums as their
 * string values): measure name, measure value, measure value type, time, time unit, version (a boolean "present" and a
 * long), dimensions (int count, {@code -1} when unset; each name, value, value type), measure values (int count,
 * {@code -1} when unset; each name, value, type).
 */
public class TimestreamRecordStateSerializer extends SinkStateSerializer<Record> {

    /** A serializer of the current format. */
    public TimestreamRecordStateSerializer() {
        super("Timestream sink");
    }

    @Override
    protected void serializeRequestToStream(Record r, DataOutputStream out) throws IOException {
        writeString(r.measureName(), out);
        writeString(r.measureValue(), out);
        writeString(r.measureValueTypeAsString(), out);
        writeString(r.time(), out);
        writeString(r.timeUnitAsString(), out);
        out.writeBoolean(r.version() != null);
        out.writeLong(r.version() == null ? 0L : r.version());
        if (!r.hasDimensions()) {
            out.writeInt(-1);
        } else {
            out.writeInt(r.dimensions().size());
            for (Dimension d : r.dimensions()) {
                writeString(d.name(), out);
                writeString(d.value(), out);
                writeString(d.dimensionValueTypeAsString(), out);
            }
        }
        if (!r.hasMeasureValues()) {
            out.writeInt(-1);
        } else {
            out.writeInt(r.measureValues().size());
            for (MeasureValue v : r.measureValues()) {
                writeString(v.name(), out);
                writeString(v.value(), out);
                writeString(v.typeAsString(), out);
            }
        }
    }

    @Override
    protected Record deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
        Record.Builder b = Record.builder()
                .measureName(readString(in))
                .measureValue(readString(in))
                .measureValueType(readString(in))
                .time(readString(in))
                .timeUnit(readString(in));
        boolean hasVersion = in.readBoolean();
        long version = in.readLong();
        if (hasVersion) {
            b.version(version);
        }
        int dimensions = in.readInt();
        if (dimensions >= 0) {
            List<Dimension> list = new ArrayList<>(dimensions);
            for (int i = 0; i < dimensions; i++) {
                list.add(Dimension.builder()
                        .name(readString(in))
                        .value(readString(in))
                        .dimensionValueType(readString(in))
                        .build());
            }
            b.dimensions(list);
        }
        int values = in.readInt();
        if (values >= 0) {
            List<MeasureValue> list = new ArrayList<>(values);
            for (int i = 0; i < values; i++) {
                list.add(MeasureValue.builder()
                        .name(readString(in))
                        .value(readString(in))
                        .type(readString(in))
                        .build());
            }
            b.measureValues(list);
        }
        return b.build();
    }
}
