package io.flightcontroller.adapters.metrics;

import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasureKind;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.ErrorBudget;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import io.flightcontroller.domain.result.WindowAggregate;
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
 * <p>{@link ErrorBudget}, {@link Alert}, {@link OpenCase} and {@link DeadLetter} become points named
 * {@code error_budget}, {@code alert}, {@code open_case} and {@code dead_letter}; their dimensions and fields are
 * listed in {@link MetricNames}, the one place every written name is defined.
 *
 * <p>Version: every point gets the version passed in; the sinks' wiring passes the wall-clock time in ms at mapping
 * (see {@code TimestreamSink} for why).
 */
public final class MetricPoints implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Name of aggregate points. */
    public static final String AGGREGATE_NAME = MetricNames.WINDOW_AGGREGATE;
    /** Prefix of a measurement dimension whose name collides with a built-in dimension or a field. */
    public static final String COLLISION_PREFIX = "dim_";
    /** Built-in dimension and field names of measurement points. */
    private static final java.util.Set<String> RESERVED =
            java.util.Collections.unmodifiableSet(new java.util.HashSet<>(java.util.Arrays.asList(
                    MetricNames.MEASURE,
                    MetricNames.PROCESS,
                    MetricNames.CORRELATION_ID,
                    MetricNames.CASE_KEY,
                    MetricNames.DURATION_MS,
                    MetricNames.VALUE,
                    MetricNames.GOOD,
                    MetricNames.CYCLE,
                    MetricNames.LATE,
                    MetricNames.AFTER_TIMEOUT,
                    MetricNames.MAX_VALUE)));

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
        MeasureKind kind = m.getKind() == null ? MeasureKind.LEAD_TIME : m.getKind();
        MetricPoint.Builder b = MetricPoint.builder(kind.yamlName(), m.getEndMs())
                .version(version)
                .dimension(MetricNames.MEASURE, m.getMeasure())
                .dimension(MetricNames.PROCESS, processByMeasure.get(m.getMeasure()))
                .dimension(MetricNames.CORRELATION_ID, m.getCorrelationId())
                .dimension(MetricNames.CASE_KEY, m.getCaseKey());
        for (Map.Entry<String, String> d : m.getDimensions().entrySet()) {
            String key = d.getKey();
            b.dimension(RESERVED.contains(key) ? COLLISION_PREFIX + key : key, d.getValue());
        }
        if (kind == MeasureKind.LEAD_TIME) {
            b.field(MetricNames.DURATION_MS, m.valueAsLong());
        } else {
            b.field(MetricNames.VALUE, m.getValue());
        }
        b.field(MetricNames.GOOD, m.getGood())
                .field(MetricNames.CYCLE, (long) m.getCycle())
                .field(MetricNames.LATE, m.isLate())
                .field(MetricNames.AFTER_TIMEOUT, m.isAfterTimeout())
                .field(MetricNames.MAX_VALUE, m.getMaxValue());
        return b.build();
    }

    /**
     * @param a a window aggregate
     * @param version record version, {@code >= 1}
     * @return its point
     * @throws IllegalArgumentException when the version is below 1
     */
    public MetricPoint fromAggregate(WindowAggregate a, long version) {
        return MetricPoint.builder(AGGREGATE_NAME, a.getWindowEndMs())
                .version(version)
                .dimension(MetricNames.MEASURE, a.getMeasure())
                .dimension(MetricNames.PROCESS, processByMeasure.get(a.getMeasure()))
                .dimension(MetricNames.WINDOW, a.getWindow())
                .field(MetricNames.COMPLETED, a.getCompleted())
                .field(MetricNames.GOOD, a.getGood())
                .field(MetricNames.BAD, a.getBad())
                .field(MetricNames.COMPLIANCE, a.getCompliance())
                .field(MetricNames.P50, a.getP50())
                .field(MetricNames.P90, a.getP90())
                .field(MetricNames.P95, a.getP95())
                .field(MetricNames.P99, a.getP99())
                .build();
    }

    /**
     * @param b an error-budget snapshot
     * @param version record version, {@code >= 1}
     * @return its point, named {@value MetricNames#ERROR_BUDGET}, at the evaluation time
     */
    public MetricPoint fromErrorBudget(ErrorBudget b, long version) {
        return MetricPoint.builder(MetricNames.ERROR_BUDGET, b.getTimeMs())
                .version(version)
                .dimension(MetricNames.MEASURE, b.getMeasure())
                .dimension(MetricNames.PROCESS, processByMeasure.get(b.getMeasure()))
                .dimension(MetricNames.WINDOW, b.getWindow())
                .field(MetricNames.EVENTS, b.getEvents())
                .field(MetricNames.GOOD, b.getGood())
                .field(MetricNames.BAD, b.getBad())
                .field(MetricNames.BUDGET, b.getBudget())
                .field(MetricNames.REMAINING_FRACTION, b.getRemainingFraction())
                .field(MetricNames.BURN_RATE, b.getBurnRate())
                .build();
    }

    /**
     * @param a an alert
     * @param version record version, {@code >= 1}
     * @return its point, named {@value MetricNames#ALERT}, at the alert's deadline (a case alert) or evaluation time
     *     (a burn-rate alert); the case key, or for burn-rate alerts severity and window, keep two alerts of one
     *     measure at the same instant apart
     */
    public MetricPoint fromAlert(Alert a, long version) {
        MetricPoint.Builder b = MetricPoint.builder(MetricNames.ALERT, a.getDeadlineMs())
                .version(version)
                .dimension(MetricNames.MEASURE, a.getMeasure())
                .dimension(MetricNames.PROCESS, processByMeasure.get(a.getMeasure()))
                .dimension(
                        MetricNames.KIND,
                        a.getKind() == null ? null : a.getKind().name())
                .dimension(
                        MetricNames.SEVERITY,
                        a.getSeverity() == null ? null : a.getSeverity().label())
                .dimension(MetricNames.CASE_KEY, a.getCaseKey())
                .dimension(MetricNames.CORRELATION_ID, a.getCorrelationId())
                .dimension(MetricNames.WINDOW, a.getWindow())
                .field(MetricNames.COUNT, 1L)
                .field(MetricNames.BURN_RATE, a.getBurnRate())
                .field(MetricNames.OBJECTIVE, a.getObjective());
        if (a.getObservedLeadMs() != null) {
            b.field(MetricNames.OBSERVED_LEAD_MS, a.getObservedLeadMs().longValue());
        }
        return b.build();
    }

    /**
     * @param o a case open at the end of a bounded input
     * @param version record version, {@code >= 1}
     * @return its point, named {@value MetricNames#OPEN_CASE}, at start + age (the end of the input)
     */
    public MetricPoint fromOpenCase(OpenCase o, long version) {
        return MetricPoint.builder(MetricNames.OPEN_CASE, o.getStartMs() + o.getAgeMs())
                .version(version)
                .dimension(MetricNames.MEASURE, o.getMeasure())
                .dimension(MetricNames.PROCESS, processByMeasure.get(o.getMeasure()))
                .dimension(MetricNames.CASE_KEY, o.getCaseKey())
                .dimension(MetricNames.CORRELATION_ID, o.getCorrelationId())
                .field(MetricNames.AGE_MS, o.getAgeMs())
                .build();
    }

    /**
     * @param d a dead letter
     * @param fallbackTimeMs its time when the record had no readable event time (the sinks' wiring passes the
     *     wall-clock time at mapping)
     * @param version record version, {@code >= 1}
     * @return its point, named {@value MetricNames#DEAD_LETTER}, at the record's event time when known; the id
     *     dimension (a SHA-256 prefix of stage, reason and raw content) keeps two dead letters at one instant apart
     */
    public MetricPoint fromDeadLetter(DeadLetter d, long fallbackTimeMs, long version) {
        long time = d.getEventTimeMs() != null ? d.getEventTimeMs() : fallbackTimeMs;
        return MetricPoint.builder(MetricNames.DEAD_LETTER, time)
                .version(version)
                .dimension(MetricNames.STAGE, d.getStage())
                .dimension(MetricNames.REASON, d.getReason())
                .dimension(MetricNames.CORRELATION_ID, d.getCorrelationId())
                .dimension(MetricNames.DEAD_LETTER_ID, deadLetterId(d))
                .field(MetricNames.COUNT, 1L)
                .build();
    }

    static String deadLetterId(DeadLetter d) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((d.getStage() + '\u0001' + d.getReason() + '\u0001' + d.getRaw())
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                sb.append(String.format("%02x", h[i]));
            }
            return sb.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
