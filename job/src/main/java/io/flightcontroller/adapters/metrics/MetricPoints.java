package io.flightcontroller.adapters.metrics;

import io.flightcontroller.domain.MeasureDefinition;
import io.flightcontroller.domain.MeasureKind;
import io.flightcontroller.domain.MeasuresConfig;
import io.flightcontroller.domain.Measurement;
import io.flightcontroller.domain.WindowAggregate;

import java.io.Serializable;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps Flight Controller's outputs to {@link MetricPoint}s, the one record model of the Timestream and InfluxDB sinks.
 *
 * <p>{@link Measurement} -&gt; point named after the measure kind ({@code lead_time}, {@code cycle_count},
 * {@code counter}, {@code value}) at {@code endMs} (the event time of the end event):
 * <ul>
 *   <li>dimensions {@code measure}, {@code process} (from the measure definition, when it has one),
 *       {@code correlation_id} (when the measurement has one), {@code case_key}, then the measurement's own
 *       dimensions; an own dimension whose name is one of these four or one of the field names below is kept as
 *       {@code dim_<name>}, so it can neither overwrite a built-in dimension nor clash with a field (Timestream
 *       rejects a record whose dimension and measure names overlap);</li>
 *   <li>fields {@code duration_ms} (BIGINT, lead time in ms) for {@code lead_time} or {@code value} (DOUBLE) for the
 *       other kinds, {@code good} (BOOLEAN, only with an SLO), {@code cycle} (BIGINT), {@code late} and
 *       {@code after_timeout} (BOOLEAN), {@code max_value} (DOUBLE, only for {@code cycle_count}).</li>
 * </ul>
 * {@link WindowAggregate} -&gt; point named {@value #AGGREGATE_NAME} at {@code windowEndMs}: dimensions
 * {@code measure}, {@code process}, {@code window} (ISO-8601 duration); fields {@code completed}, {@code good},
 * {@code bad} (BIGINT) and {@code compliance}, {@code p50}, {@code p90}, {@code p95}, {@code p99} (DOUBLE, when
 * known).
 *
 * <p>Version: every point gets the version passed in; the sinks' wiring passes the wall-clock time in ms at mapping
 * (see {@code TimestreamSink} for why).
 */
public final class MetricPoints implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Name of aggregate points. */
    public static final String AGGREGATE_NAME = "window_aggregate";
    /** Prefix of a measurement dimension whose name collides with a built-in dimension or a field. */
    public static final String COLLISION_PREFIX = "dim_";
    /** Built-in dimension and field names of measurement points. */
    private static final java.util.Set<String> RESERVED = java.util.Collections.unmodifiableSet(
            new java.util.HashSet<>(java.util.Arrays.asList("measure", "process", "correlation_id", "case_key",
                    "duration_ms", "value", "good", "cycle", "late", "after_timeout", "max_value")));

    private final Map<String, String> processByMeasure;

    /**
     * @param processByMeasure measure name -&gt; process name (measures without a process may be absent)
     */
    public MetricPoints(Map<String, String> processByMeasure) {
        this.processByMeasure = Collections.unmodifiableMap(new HashMap<>(processByMeasure));
    }

    /**
     * @param measures the job's measures
     * @return a mapper that knows each measure's process
     */
    public static MetricPoints of(MeasuresConfig measures) {
        Map<String, String> processes = new HashMap<>();
        for (MeasureDefinition d : measures.getMeasures()) {
            if (d.getProcess() != null) {
                for (String name : d.outputMeasures()) { // a sequence's hops belong to its process
                    processes.put(name, d.getProcess());
                }
            }
        }
        return new MetricPoints(processes);
    }

    /**
     * @param m a measurement
     * @param version record version, {@code >= 1}
     * @return its point
     * @throws IllegalArgumentException when the version is below 1
     */
    public MetricPoint fromMeasurement(Measurement m, long version) {
        String kind = m.getKind() == null ? MeasureKind.LEAD_TIME.yamlName() : m.getKind();
        MetricPoint.Builder b = MetricPoint.builder(kind, m.getEndMs()).version(version)
                .dimension("measure", m.getMeasure())
                .dimension("process", processByMeasure.get(m.getMeasure()))
                .dimension("correlation_id", m.getCorrelationId())
                .dimension("case_key", m.getCaseKey());
        for (Map.Entry<String, String> d : m.getDimensions().entrySet()) {
            String key = d.getKey();
            b.dimension(RESERVED.contains(key) ? COLLISION_PREFIX + key : key, d.getValue());
        }
        if (MeasureKind.LEAD_TIME.yamlName().equals(kind)) {
            b.field("duration_ms", m.valueAsLong());
        } else {
            b.field("value", m.getValue());
        }
        b.field("good", m.getGood())
                .field("cycle", (long) m.getCycle())
                .field("late", m.isLate())
                .field("after_timeout", m.isAfterTimeout())
                .field("max_value", m.getMaxValue());
        return b.build();
    }

    /**
     * @param a a window aggregate
     * @param version record version, {@code >= 1}
     * @return its point
     * @throws IllegalArgumentException when the version is below 1
     */
    public MetricPoint fromAggregate(WindowAggregate a, long version) {
        return MetricPoint.builder(AGGREGATE_NAME, a.getWindowEndMs()).version(version)
                .dimension("measure", a.getMeasure())
                .dimension("process", processByMeasure.get(a.getMeasure()))
                .dimension("window", a.getWindow())
                .field("completed", a.getCompleted())
                .field("good", a.getGood())
                .field("bad", a.getBad())
                .field("compliance", a.getCompliance())
                .field("p50", a.getP50())
                .field("p90", a.getP90())
                .field("p95", a.getP95())
                .field("p99", a.getP99())
                .build();
    }
}
