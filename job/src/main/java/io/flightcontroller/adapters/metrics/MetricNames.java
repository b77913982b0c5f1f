package io.flightcontroller.adapters.metrics;

import io.flightcontroller.domain.measure.MeasureKind;

/**
 * The names Flight Controller writes to Timestream and InfluxDB: record names (the Timestream measure name of a
 * multi-measure record / the InfluxDB measurement, an InfluxDB 3 table), dimension names (Timestream dimensions /
 * InfluxDB tags) and field names (Timestream multi-measure values / InfluxDB fields). {@link MetricPoints} writes with
 * these constants and the generated Grafana dashboards ({@code adapters.grafana.GrafanaDashboards}) query with them,
 * so a renamed field cannot leave a dashboard querying a name nothing writes.
 *
 * <p>Shape (record: dimensions; fields, with their Timestream types):
 * <ul>
 *   <li>{@code lead_time}, {@code cycle_count}, {@code counter}, {@code value} (one per measurement, named after the
 *       measure kind): {@code measure, process, correlation_id, case_key} and the measure's own dimensions;
 *       {@code duration_ms} BIGINT (ms, lead_time) or {@code value} DOUBLE, {@code good}, {@code late},
 *       {@code after_timeout} BOOLEAN, {@code cycle} BIGINT, {@code max_value} DOUBLE;</li>
 *   <li>{@code window_aggregate}: {@code measure, process, window}; {@code completed, good, bad} BIGINT,
 *       {@code compliance} DOUBLE (0..1), {@code p50, p90, p95, p99} DOUBLE (ms);</li>
 *   <li>{@code error_budget}: {@code measure, process, window}; {@code events, good, bad} BIGINT, {@code budget}
 *       DOUBLE (allowed bad outcomes), {@code remaining_fraction} DOUBLE (negative when overspent), {@code burn_rate}
 *       DOUBLE;</li>
 *   <li>{@code alert}: {@code measure, process, kind, severity, case_key, correlation_id, window} (those that apply);
 *       {@code count} BIGINT (always 1), {@code observed_lead_ms} BIGINT, {@code burn_rate}, {@code objective}
 *       DOUBLE;</li>
 *   <li>{@code open_case}: {@code measure, process, case_key, correlation_id}; {@code age_ms} BIGINT;</li>
 *   <li>{@code dead_letter}: {@code stage, reason, correlation_id, dead_letter_id}; {@code count} BIGINT (always 1).</li>
 * </ul>
 */
public final class MetricNames {
    private MetricNames() {}

    /** Record of a lead-time measurement (the measure kind's YAML name). */
    public static final String LEAD_TIME = "lead_time";
    /** Record of a window aggregate. */
    public static final String WINDOW_AGGREGATE = "window_aggregate";
    /** Record of an error-budget snapshot (hourly, over the SLO window). */
    public static final String ERROR_BUDGET = "error_budget";
    /** Record of an alert (timeout, breach, burn rate firing / resolved). */
    public static final String ALERT = "alert";
    /** Record of a case still open at the end of a bounded input. */
    public static final String OPEN_CASE = "open_case";
    /** Record of a dead letter (a record the job could not use). */
    public static final String DEAD_LETTER = "dead_letter";

    /** Dimension: measure name. */
    public static final String MEASURE = "measure";
    /** Dimension: the measure's process. */
    public static final String PROCESS = "process";
    /** Dimension: correlation id, when it differs from the case key or is known. */
    public static final String CORRELATION_ID = "correlation_id";
    /** Dimension: the case key. */
    public static final String CASE_KEY = "case_key";
    /** Dimension: ISO-8601 duration of an aggregate window, an SLO window or a burn-rate rule's windows. */
    public static final String WINDOW = "window";
    /** Dimension: alert kind ({@code TIMEOUT, BREACH, BURN_RATE_FIRING, BURN_RATE_RESOLVED}). */
    public static final String KIND = "kind";
    /** Dimension: alert severity. */
    public static final String SEVERITY = "severity";
    /** Dimension: dead-letter reason. */
    public static final String REASON = "reason";
    /** Dimension: where a dead letter was rejected. */
    public static final String STAGE = "stage";
    /** Dimension: a dead letter's id (SHA-256 prefix of stage, reason and raw content). */
    public static final String DEAD_LETTER_ID = "dead_letter_id";

    /** Field: lead time in ms. */
    public static final String DURATION_MS = "duration_ms";
    /** Field: value of a cycle count, counter or value measurement. */
    public static final String VALUE = "value";
    /** Field: SLO verdict (measurement) or number of good outcomes (aggregate, budget). */
    public static final String GOOD = "good";
    /** Field: cycle number. */
    public static final String CYCLE = "cycle";
    /** Field: measured from a late end event. */
    public static final String LATE = "late";
    /** Field: a correction after a timeout. */
    public static final String AFTER_TIMEOUT = "after_timeout";
    /** Field: largest cycle count so far. */
    public static final String MAX_VALUE = "max_value";
    /** Field: completed leads in the window. */
    public static final String COMPLETED = "completed";
    /** Field: bad outcomes. */
    public static final String BAD = "bad";
    /** Field: good / (good + bad). */
    public static final String COMPLIANCE = "compliance";
    /** Field: median lead in ms. */
    public static final String P50 = "p50";
    /** Field: 90th percentile lead in ms. */
    public static final String P90 = "p90";
    /** Field: 95th percentile lead in ms. */
    public static final String P95 = "p95";
    /** Field: 99th percentile lead in ms. */
    public static final String P99 = "p99";
    /** Field: SLO outcomes in the budget window. */
    public static final String EVENTS = "events";
    /** Field: allowed bad outcomes. */
    public static final String BUDGET = "budget";
    /** Field: 1 - bad / budget. */
    public static final String REMAINING_FRACTION = "remaining_fraction";
    /** Field: (bad / events) / (1 - objective). */
    public static final String BURN_RATE = "burn_rate";
    /** Field: SLO objective. */
    public static final String OBJECTIVE = "objective";
    /** Field: lead observed at an alert's deadline, ms. */
    public static final String OBSERVED_LEAD_MS = "observed_lead_ms";
    /** Field: age of an open case, ms. */
    public static final String AGE_MS = "age_ms";
    /** Field: 1 per record, for sums. */
    public static final String COUNT = "count";

    /**
     * @param kind a measure kind
     * @return the record name of its measurements
     */
    public static String measurementRecord(MeasureKind kind) {
        return kind.yamlName();
    }
}
