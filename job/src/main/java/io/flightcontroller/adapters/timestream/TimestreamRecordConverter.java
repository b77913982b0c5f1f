package io.flightcontroller.adapters.timestream;

import io.flightcontroller.adapters.metrics.MetricPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import software.amazon.awssdk.services.timestreamwrite.model.Dimension;
import software.amazon.awssdk.services.timestreamwrite.model.DimensionValueType;
import software.amazon.awssdk.services.timestreamwrite.model.MeasureValue;
import software.amazon.awssdk.services.timestreamwrite.model.MeasureValueType;
import software.amazon.awssdk.services.timestreamwrite.model.Record;
import software.amazon.awssdk.services.timestreamwrite.model.TimeUnit;

/**
 * {@link MetricPoint} -&gt; one Timestream multi-measure {@link Record}: measure name = point name,
 * {@code MeasureValueType MULTI}, one VARCHAR dimension per point dimension, one measure value per field (Long -&gt;
 * BIGINT, Double -&gt; DOUBLE, Boolean -&gt; BOOLEAN), time in MILLISECONDS, version = point version.
 */
public class TimestreamRecordConverter implements ElementConverter<MetricPoint, Record> {
    private static final long serialVersionUID = 1L;

    @Override
    public Record apply(MetricPoint point, SinkWriter.Context context) {
        return toRecord(point);
    }

    /**
     * @param point the point
     * @return its multi-measure record
     * @throws IllegalArgumentException for a field of another type than Long, Double, Boolean
     */
    public static Record toRecord(MetricPoint point) {
        List<Dimension> dims = new ArrayList<>(point.getDimensions().size());
        for (Map.Entry<String, String> d : point.getDimensions().entrySet()) {
            dims.add(Dimension.builder()
                    .name(d.getKey())
                    .value(d.getValue())
                    .dimensionValueType(DimensionValueType.VARCHAR)
                    .build());
        }
        List<MeasureValue> values = new ArrayList<>(point.getFields().size());
        for (Map.Entry<String, Object> f : point.getFields().entrySet()) {
            Object v = f.getValue();
            MeasureValueType type;
            if (v instanceof Long) {
                type = MeasureValueType.BIGINT;
            } else if (v instanceof Double) {
                type = MeasureValueType.DOUBLE;
            } else if (v instanceof Boolean) {
                type = MeasureValueType.BOOLEAN;
            } else {
                throw new IllegalArgumentException(
                        "field " + f.getKey() + " of " + point.getName() + " has unsupported type "
                                + (v == null ? "null" : v.getClass().getName()));
            }
            values.add(MeasureValue.builder()
                    .name(f.getKey())
                    .value(String.valueOf(v))
                    .type(type)
                    .build());
        }
        return Record.builder()
                .measureName(point.getName())
                .measureValueType(MeasureValueType.MULTI)
                .measureValues(values)
                .dimensions(dims)
                .time(Long.toString(point.getTimeMs()))
                .timeUnit(TimeUnit.MILLISECONDS)
                .version(point.getVersion())
                .build();
    }

    /**
     * @param r a record
     * @return an estimate of its size in bytes (names, values and a fixed overhead per part)
     */
    public static long sizeInBytes(Record r) {
        long n = 32 + length(r.measureName()) + length(r.time());
        for (Dimension d : r.dimensions()) {
            n += 8 + length(d.name()) + length(d.value());
        }
        for (MeasureValue v : r.measureValues()) {
            n += 8 + length(v.name()) + length(v.value());
        }
        return n;
    }

    /**
     * @param r a record
     * @param name a dimension name
     * @return the dimension's value, or null
     */
    public static String dimension(Record r, String name) {
        for (Dimension d : r.dimensions()) {
            if (name.equals(d.name())) {
                return d.value();
            }
        }
        return null;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }
}
