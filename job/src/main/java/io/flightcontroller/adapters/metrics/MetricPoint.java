package io.flightcontroller.adapters.metrics;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One time-series point, the record model shared by the Timestream and InfluxDB sinks.
 *
 * <p>Shape:
 * <ul>
 *   <li>{@code name}: the Timestream measure name of a multi-measure record / the InfluxDB measurement;</li>
 *   <li>{@code dimensions}: name -&gt; non-empty string value, sorted by name; Timestream dimensions / InfluxDB tags;</li>
 *   <li>{@code fields}: name -&gt; {@link Long}, finite {@link Double} or {@link Boolean}, in insertion order; Timestream
 *       multi-measure values (BIGINT, DOUBLE, BOOLEAN) / InfluxDB fields (integer, float, boolean); at least one;</li>
 *   <li>{@code timeMs}: the point's time, epoch milliseconds UTC;</li>
 *   <li>{@code version}: the Timestream record version ({@code >= 1}; a higher version replaces a stored record with the
 *       same dimensions, name and time). InfluxDB has no versions (the last write of a series and time wins).</li>
 * </ul>
 * Immutable once built; build with {@link #builder(String, long)}.
 */
public final class MetricPoint implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    // plain TreeMap / LinkedHashMap (not unmodifiable wrappers) so that Flink's Kryo fallback can copy the point
    private final TreeMap<String, String> dimensions;
    private final LinkedHashMap<String, Object> fields;
    private final long timeMs;
    private final long version;

    private MetricPoint(Builder b) {
        this.name = b.name;
        this.dimensions = new TreeMap<>(b.dimensions);
        this.fields = new LinkedHashMap<>(b.fields);
        this.timeMs = b.timeMs;
        this.version = b.version;
    }

    /**
     * @param name measure name / measurement, non-empty
     * @param timeMs time, epoch ms UTC
     * @return a builder with version 1 and no dimensions or fields
     * @throws IllegalArgumentException when the name is null or empty
     */
    public static Builder builder(String name, long timeMs) {
        return new Builder(name, timeMs);
    }

    /** @return the Timestream measure name / InfluxDB measurement */
    public String getName() {
        return name;
    }
    /** @return dimensions (tags), sorted by name, values non-empty */
    public Map<String, String> getDimensions() {
        return Collections.unmodifiableMap(dimensions);
    }
    /** @return fields: name -&gt; Long, Double (finite) or Boolean, in insertion order */
    public Map<String, Object> getFields() {
        return Collections.unmodifiableMap(fields);
    }
    /** @return time, epoch ms UTC */
    public long getTimeMs() {
        return timeMs;
    }
    /** @return Timestream record version, {@code >= 1} */
    public long getVersion() {
        return version;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MetricPoint)) {
            return false;
        }
        MetricPoint p = (MetricPoint) o;
        return timeMs == p.timeMs
                && version == p.version
                && name.equals(p.name)
                && dimensions.equals(p.dimensions)
                && fields.equals(p.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dimensions, fields, timeMs, version);
    }

    @Override
    public String toString() {
        return "MetricPoint{" + name + ", time=" + timeMs + ", version=" + version + ", dims=" + dimensions
                + ", fields=" + fields + '}';
    }

    /** Builds a {@link MetricPoint}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final long timeMs;
        private long version = 1;
        private final Map<String, String> dimensions = new TreeMap<>();
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder(String name, long timeMs) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("metric point name must be non-empty");
            }
            this.name = name;
            this.timeMs = timeMs;
        }

        /**
         * Adds a dimension; a null or empty value is skipped (neither Timestream nor InfluxDB store empty dimension
         * values).
         *
         * @param key dimension name, non-empty
         * @param value dimension value
         * @return this
         */
        public Builder dimension(String key, String value) {
            requireKey(key);
            if (value != null && !value.isEmpty()) {
                dimensions.put(key, value);
            }
            return this;
        }

        /** @param key field name; @param value integer value; @return this */
        public Builder field(String key, long value) {
            requireKey(key);
            fields.put(key, value);
            return this;
        }

        /**
         * Adds a double field; NaN and infinities are skipped (neither service stores them).
         *
         * @param key field name
         * @param value value, may be null (skipped)
         * @return this
         */
        public Builder field(String key, Double value) {
            requireKey(key);
            if (value != null && !value.isNaN() && !value.isInfinite()) {
                fields.put(key, value);
            }
            return this;
        }

        /** @param key field name; @param value boolean value, null is skipped; @return this */
        public Builder field(String key, Boolean value) {
            requireKey(key);
            if (value != null) {
                fields.put(key, value);
            }
            return this;
        }

        /**
         * @param version Timestream record version, {@code >= 1}
         * @return this
         * @throws IllegalArgumentException when {@code version < 1}
         */
        public Builder version(long version) {
            if (version < 1) {
                throw new IllegalArgumentException("version must be >= 1, got " + version);
            }
            this.version = version;
            return this;
        }

        /**
         * @return the point
         * @throws IllegalArgumentException when it has no field
         */
        public MetricPoint build() {
            if (fields.isEmpty()) {
                throw new IllegalArgumentException("metric point " + name + " needs at least one field");
            }
            return new MetricPoint(this);
        }

        private static void requireKey(String key) {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("dimension and field names must be non-empty");
            }
        }
    }
}
