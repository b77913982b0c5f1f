package io.flightcontroller.adapters.metrics;

import io.flightcontroller.serialization.Fields;
import io.flightcontroller.serialization.VersionedSerializer;
import java.io.IOException;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Explicit serializer of {@link MetricPoint}, so the points travel between the mapping operators and the Timestream /
 * InfluxDB sinks without Kryo (a job built with generic types disabled accepts them).
 *
 * <p>Shape, v1: name (string), timeMs, version (longs), dimensions (string map), fields (count, then key string and
 * value, each with the shared codecs of {@link Fields}: a long, double or boolean).
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
        Fields.string(p.getName(), out);
        out.writeLong(p.getTimeMs());
        out.writeLong(p.getVersion());
        Fields.stringMap(p.getDimensions(), out);
        out.writeInt(p.getFields().size());
        for (Map.Entry<String, Object> f : p.getFields().entrySet()) {
            Fields.string(f.getKey(), out);
            Fields.value(f.getValue(), out);
        }
    }

    @Override
    protected MetricPoint read(int version, DataInputView in) throws IOException {
        MetricPoint.Builder b =
                MetricPoint.builder(Fields.string(in), in.readLong()).version(in.readLong());
        Fields.stringMap(in).forEach(b::dimension);
        for (int i = in.readInt(); i > 0; i--) {
            String key = Fields.string(in);
            Object v = Fields.value(in);
            if (v instanceof Long) {
                b.field(key, (long) (Long) v);
            } else if (v instanceof Double) {
                b.field(key, (Double) v);
            } else if (v instanceof Boolean) {
                b.field(key, (Boolean) v);
            } else {
                throw new IOException("metric point field " + key + ": unexpected value " + v);
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
