package io.flightcontroller.pipeline;

import io.flightcontroller.domain.engine.BurnRateEvaluator;
import io.flightcontroller.domain.event.CorroboratedClock;
import io.flightcontroller.domain.measure.MeasuresConfig;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * What the topology needs besides its input: the measures and the event-time settings. Immutable.
 *
 * <p>Defaults: out-of-orderness 5 s; idle timeout 1 min (a silent partition or shard stops holding back the
 * watermark after that much wall-clock time); de-duplication retention 1 h of event time; case retention 1 day of
 * event time (how long a completed or timed-out case is kept for late corrections and to ignore repeated starts);
 * burn-rate bucket 1 min.
 */
public final class PipelineOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(1);
    public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofHours(1);
    public static final Duration DEFAULT_CASE_RETENTION = Duration.ofDays(1);

    /** Bounded out-of-orderness, ISO-8601 duration (property group {@code FlightController.Time}). */
    public static final ConfigOption<String> OUT_OF_ORDERNESS = ConfigOptions.key("out.of.orderness")
            .stringType()
            .noDefaultValue()
            .withDescription("duration >= 0, default PT5S");
    /** A silent partition or shard stops holding back the watermark after this long, ISO-8601 duration. */
    public static final ConfigOption<String> IDLE_TIMEOUT = ConfigOptions.key("idle.timeout")
            .stringType()
            .noDefaultValue()
            .withDescription("duration > 0, default PT1M");
    /** How long de-duplication keys are kept, ISO-8601 duration of event time. */
    public static final ConfigOption<String> DEDUP_RETENTION = ConfigOptions.key("dedup.retention")
            .stringType()
            .noDefaultValue()
            .withDescription("duration >= 0, default PT1H");
    /** How long a finished or timed-out case is kept for late corrections, ISO-8601 duration of event time. */
    public static final ConfigOption<String> CASE_RETENTION = ConfigOptions.key("case.retention")
            .stringType()
            .noDefaultValue()
            .withDescription("duration >= 0, default P1D");

    /**
     * How keyed state is laid out (property group {@code FlightController.Measures}); chosen at an application's first
     * start and kept: a snapshot restores only into the layout that wrote it.
     */
    public static final ConfigOption<String> STATE_LAYOUT = ConfigOptions.key("state.layout")
            .stringType()
            .noDefaultValue()
            .withDescription("per_measure | per_correlation_id, default per_measure; fixed at an application's first"
                    + " start");

    /**
     * How the job keeps its keyed state. Keyed state cannot move to another operator or key on restore, so an
     * application keeps the layout of its first start (a snapshot of the other layout fails to restore, naming the
     * operator whose state has no place: see the README, "State layouts").
     */
    public enum StateLayout {
        /**
         * De-duplication keyed by correlation id, then every measure keyed by (measure name, case key), each its own
         * task and state: the layout of every application started before the choice existed (the default).
         */
        PER_MEASURE,
        /**
         * One operator keyed by correlation id de-duplicates and measures every state-machine measure whose case key
         * includes the correlation id ({@link MeasureByCorrelationId}); other measures as in {@link #PER_MEASURE}.
         * Less CPU per event (benchmark README).
         */
        PER_CORRELATION_ID
    }

    /** @return the event-time options, in documentation order */
    public static List<ConfigOption<String>> timeOptions() {
        return List.of(OUT_OF_ORDERNESS, IDLE_TIMEOUT, DEDUP_RETENTION, CASE_RETENTION);
    }
    /** Events more than this ahead of their arrival time are dead-lettered ({@code future_time}): Timestream's limit. */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(15);

    private final MeasuresConfig measures;
    private final Duration outOfOrderness;
    private final Duration idleTimeout;
    private final Duration dedupRetention;
    private final Duration caseRetention;
    private final long burnRateBucketMs;
    private final boolean sortedInput;
    private final Duration maxFutureSkew;
    private final StateLayout stateLayout;

    private PipelineOptions(Builder b) {
        this.measures = Objects.requireNonNull(b.measures, "measures");
        this.outOfOrderness = b.outOfOrderness;
        this.idleTimeout = b.idleTimeout;
        this.dedupRetention = b.dedupRetention;
        this.caseRetention = b.caseRetention;
        this.burnRateBucketMs = b.burnRateBucketMs;
        this.sortedInput = b.sortedInput;
        this.maxFutureSkew = b.maxFutureSkew;
        this.stateLayout = b.stateLayout;
    }

    /** @param measures the measures @return a builder with the defaults */
    public static Builder builder(MeasuresConfig measures) {
        return new Builder(measures);
    }

    public MeasuresConfig getMeasures() {
        return measures;
    }

    public Duration getOutOfOrderness() {
        return outOfOrderness;
    }
    /** @return idle timeout, or null to never mark inputs idle */
    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public Duration getDedupRetention() {
        return dedupRetention;
    }

    public Duration getCaseRetention() {
        return caseRetention;
    }

    public long getBurnRateBucketMs() {
        return burnRateBucketMs;
    }
    /** @return whether the input is in event-time order (a sorted file replay): nothing can be late */
    public boolean isSortedInput() {
        return sortedInput;
    }
    /** @return how far ahead of its arrival an event may be, or null for no limit */
    public StateLayout getStateLayout() {
        return stateLayout;
    }

    public Duration getMaxFutureSkew() {
        return maxFutureSkew;
    }

    /**
     * @return distinct instants that must be seen before a jump beyond the out-of-orderness bound moves the watermark:
     *     1 for sorted input (the file is the truth), {@link CorroboratedClock#DEFAULT_CORROBORATION} otherwise
     */
    public int getCorroboration() {
        return sortedInput ? 1 : CorroboratedClock.DEFAULT_CORROBORATION;
    }

    /** @return the out-of-orderness the watermarks use: 0 for sorted input, else {@link #getOutOfOrderness()} */
    public long getEffectiveOutOfOrdernessMs() {
        return sortedInput ? 0 : outOfOrderness.toMillis();
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private final MeasuresConfig measures;
        private Duration outOfOrderness = DEFAULT_OUT_OF_ORDERNESS;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration dedupRetention = DEFAULT_DEDUP_RETENTION;
        private Duration caseRetention = DEFAULT_CASE_RETENTION;
        private long burnRateBucketMs = BurnRateEvaluator.DEFAULT_BUCKET_MS;
        private boolean sortedInput;
        private Duration maxFutureSkew = DEFAULT_MAX_FUTURE_SKEW;
        private StateLayout stateLayout = StateLayout.PER_MEASURE;

        private Builder(MeasuresConfig measures) {
            this.measures = measures;
        }

        public Builder outOfOrderness(Duration d) {
            this.outOfOrderness = d;
            return this;
        }

        public Builder idleTimeout(Duration d) {
            this.idleTimeout = d;
            return this;
        }

        public Builder dedupRetention(Duration d) {
            this.dedupRetention = d;
            return this;
        }

        public Builder caseRetention(Duration d) {
            this.caseRetention = d;
            return this;
        }

        public Builder burnRateBucketMs(long ms) {
            this.burnRateBucketMs = ms;
            return this;
        }

        public Builder sortedInput(boolean sorted) {
            this.sortedInput = sorted;
            return this;
        }

        public Builder stateLayout(StateLayout layout) {
            this.stateLayout = java.util.Objects.requireNonNull(layout, "state.layout");
            return this;
        }

        public Builder maxFutureSkew(Duration d) {
            this.maxFutureSkew = d;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException naming the option that is negative or missing
         */
        public PipelineOptions build() {
            check("out.of.orderness", outOfOrderness, true);
            if (idleTimeout != null) {
                check("idle.timeout", idleTimeout, false);
            }
            check("dedup.retention", dedupRetention, true);
            check("case.retention", caseRetention, true);
            if (maxFutureSkew != null) {
                check("max.future.skew", maxFutureSkew, true);
            }
            if (burnRateBucketMs <= 0) {
                throw new IllegalArgumentException("burn-rate bucket must be > 0 ms");
            }
            return new PipelineOptions(this);
        }

        private static void check(String name, Duration d, boolean zeroOk) {
            if (d == null || d.isNegative() || (!zeroOk && d.isZero())) {
                throw new IllegalArgumentException(
                        name + " must be a " + (zeroOk ? "non-negative" : "positive") + " ISO-8601 duration, was " + d);
            }
        }
    }
}
