package io.flightcontroller.adapters.metrics;

import io.flightcontroller.serialization.VersionedSerializer;
import java.io.IOException;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Explicit serializer of {@link MetricPoint}, so the points travel between the mapping operators and the Timestream /
 * InfluxDB sinks without Kryo (a job built with generic types disabled accepts them).
 *
 * <p>Shape, v1: name (string), timeMs, version (longs), dimensions (count, then key/value strings), fields (count, then
 * key string, a tag byte 1 = long, 2 = double, 3 = boolean, and the value).
 */
public final class MetricPointSerializer extends VersionedSerializer<MetricPoint> {
    private static final long serialVersionUID = 1L;

    /** The type information to declare with {@code returns(...)}. */
    public static final TypeInformation<MetricPoint> TYPE =
            new VersionedSerializer.Info<>(MetricPoint.class, MetricPointSerializer::new);

    @Override
    protected int version() {
        return 1;
    }

    @Override
    protected String typeName() {
        return "MetricPoint";
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public MetricPoint copy(MetricPoint from) {
        return from; // immutable
    }

    @Override
    public MetricPoint createInstance() {
        return MetricPoint.builder("point", 0L).field("value", 0L).build();
    }

    @Override
    protected void write(MetricPoint p, DataOutputView out) throws IOException {
        StringValue.writeString(p.getName(), out);
        out.writeLong(p.getTimeMs());
        out.writeLong(p.getVersion());
        out.writeInt(p.getDimensions().size());
        for (Map.Entry<String, String> d : p.getDimensions().entrySet()) {
            StringValue.writeString(d.getKey(), out);
            StringValue.writeString(d.getValue(), out);
        }
        out.writeInt(p.getFields().size());
        for (Map.Entry<String, Object> f : p.getFields().entrySet()) {
            StringValue.writeString(f.getKey(), out);
            Object v = f.getValue();
            if (v instanceof Long) {
                out.writeByte(1);
                out.writeLong((Long) v);
            } else if (v instanceof Double) {
                out.writeByte(2);
                out.writeDouble((Double) v);
            } else if (v instanceof Boolean) {
                out.writeByte(3);
                out.writeBoolean((Boolean) v);
            } else {
                throw new IOException("metric point " + p.getName() + " field " + f.getKey() + ": unsupported value "
                        + (v == null ? "null" : v.getClass().getName()));
            }
        }
    }

    @Override
    protected MetricPoint read(int version, DataInputView in) throws IOException {
        MetricPoint.Builder b =
                MetricPoint.builder(StringValue.readString(in), in.readLong()).version(in.readLong());
        for (int i = in.readInt(); i > 0; i--) {
            b.dimension(StringValue.readString(in), StringValue.readString(in));
        }
        for (int i = in.readInt(); i > 0; i--) {
            String key = StringValue.readString(in);
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1:
                    b.field(key, in.readLong());
                    break;
                case 2:
                    b.field(key, (Double) in.readDouble());
                    break;
                case 3:
                    b.field(key, (Boolean) in.readBoolean());
                    break;
                default:
                    throw new IOException("metric point field " + key + ": unknown value tag " + tag);
            }
        }
        return b.build();
    }

    @Override
    public TypeSerializerSnapshot<MetricPoint> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of {@link MetricPointSerializer}. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<MetricPoint> {
        public Snapshot() {
            super(MetricPointSerializer::new);
        }
    }
}
