package io.flightcontroller.adapters.influx;

import io.flightcontroller.adapters.metrics.MetricPoint;
import java.util.Map;

/**
 * InfluxDB line protocol for {@link MetricPoint}s, with the escaping of the InfluxDB v2 documentation ("Line protocol",
 * section "Special characters", https://docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol/):
 * <ul>
 *   <li>measurement: commas and spaces are escaped with a backslash;</li>
 *   <li>tag keys, tag values and field keys: commas, equals signs and spaces are escaped;</li>
 *   <li>string field values: double quotes and backslashes are escaped, the value is quoted;</li>
 *   <li>integers carry the {@code i} suffix, floats are written in Java's shortest round-trip form (exponent as
 *       {@code e}), booleans as {@code true} / {@code false}.</li>
 * </ul>
 * Line protocol cannot carry a newline inside a measurement, tag or field key (it ends the line), so newlines and
 * carriage returns there are replaced by spaces (then escaped). Shape of a line:
 * {@code measurement[,tagKey=tagValue...] fieldKey=fieldValue[,fieldKey=fieldValue...] timestampMs}; tags are sorted by
 * key (InfluxDB's recommendation), the timestamp is in milliseconds (write with {@code precision=ms}).
 */
public final class InfluxLineProtocol {
    private InfluxLineProtocol() {}

    /**
     * @param point a point (Long, Double or Boolean fields)
     * @return its line, without a trailing newline
     * @throws IllegalArgumentException for a field of another type
     */
    public static String line(MetricPoint point) {
        StringBuilder s = new StringBuilder(128);
        s.append(measurement(point.getName()));
        for (Map.Entry<String, String> t : point.getDimensions().entrySet()) {
            s.append(',').append(key(t.getKey())).append('=').append(key(t.getValue()));
        }
        char sep = ' ';
        for (Map.Entry<String, Object> f : point.getFields().entrySet()) {
            s.append(sep).append(key(f.getKey())).append('=').append(fieldValue(f.getValue()));
            sep = ',';
        }
        return s.append(' ').append(point.getTimeMs()).toString();
    }

    /**
     * @param name a measurement name
     * @return it with commas and spaces escaped
     */
    public static String measurement(String name) {
        return escape(name, ", ");
    }

    /**
     * @param key a tag key, tag value or field key
     * @return it with commas, equals signs and spaces escaped
     */
    public static String key(String key) {
        return escape(key, ",= ");
    }

    /**
     * @param value a string field value
     * @return it quoted, with double quotes and backslashes escaped
     */
    public static String stringField(String value) {
        StringBuilder s = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                s.append('\\');
            }
            s.append(c);
        }
        return s.append('"').toString();
    }

    /**
     * @param value Long (written {@code 12i}), Double ({@code 1.5}), Boolean ({@code true}) or String (quoted)
     * @return the field value in line protocol
     * @throws IllegalArgumentException for another type or a NaN / infinite double (line protocol has none)
     */
    public static String fieldValue(Object value) {
        if (value instanceof Long || value instanceof Integer) {
            return value + "i";
        }
        if (value instanceof Double) {
            double d = (Double) value;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("line protocol has no NaN or infinite floats: " + d);
            }
            return Double.toString(d).replace('E', 'e');
        }
        if (value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof String) {
            return stringField((String) value);
        }
        throw new IllegalArgumentException("unsupported field type: "
                + (value == null ? "null" : value.getClass().getName()));
    }

    private static String escape(String s, String special) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                c = ' ';
            }
            if (special.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
