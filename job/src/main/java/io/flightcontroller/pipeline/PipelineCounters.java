package io.flightcontroller.pipeline;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * The job's counters. Each is both a Flink metric (live, e.g. in the web UI or CloudWatch) and an accumulator (read
 * from the job result for the end-of-run summary). Names are the constants below; malformed records are counted per
 * reason as {@code malformed.<reason>}.
 */
public final class PipelineCounters {
    public static final String RECORDS_IN = "records_in";
    public static final String EVENTS_PARSED = "events_parsed";
    public static final String MALFORMED_PREFIX = "malformed.";
    public static final String UNKNOWN_TYPE = "unknown_type";
    public static final String DUPLICATE = "duplicate";
    public static final String LATE = "late";
    public static final String LATE_APPLIED = "late_applied";
    public static final String MISSING_KEY_FIELD = "missing_key_field";
    public static final String ORPHAN = "orphan";
    public static final String MATCHED = "matched";
    public static final String TIMED_OUT = "timed_out";
    public static final String BREACHED = "breached";
    public static final String NO_VALUE = "no_value";
    public static final String OPEN_AT_END = "open_at_end";
    public static final String BURN_RATE_ALERTS = "burn_rate_alerts";
    /** Case states dropped after a restore because their measure is no longer in the measures file. */
    public static final String STATE_OF_REMOVED_MEASURE = "state_of_removed_measure";

    /** Total dead letters of the operator (all reasons); also the CloudWatch metric {@link #CLOUDWATCH_DEAD_LETTERS}. */
    public static final String DEAD_LETTERS = "dead_letters";
    /**
     * Name of the dead-letter counter in the {@code kinesisanalytics} metric group, which Managed Service for Apache
     * Flink exports to CloudWatch (the CDK app's dead-letter alarm watches it).
     */
    public static final String CLOUDWATCH_DEAD_LETTERS = "numDeadLetters";

    /** Largest lateness seen, ms behind the watermark (accumulator; metric {@link #CLOUDWATCH_MAX_LATENESS}). */
    public static final String MAX_LATENESS_MS = "max_lateness_ms";
    /** Events held back at the end of a bounded input: a lone jump ahead that nothing corroborated. */
    public static final String HELD_BACK_AT_END = EndOfInputWatermarkCap.HELD_BACK;
    /** Metric (group {@code kinesisanalytics}, exported to CloudWatch by Managed Flink): late events. */
    public static final String CLOUDWATCH_LATE = "numLateRecords";
    /** Metric (group {@code kinesisanalytics}): largest lateness seen, ms. */
    public static final String CLOUDWATCH_MAX_LATENESS = "maxLatenessMs";
    /** Metric (group {@code kinesisanalytics}): events dead-lettered as {@code future_time}. */
    public static final String CLOUDWATCH_FUTURE = "numFutureRecords";

    /** Largest event time parsed so far, epoch ms (an accumulator only, for progress reports). */
    public static final String MAX_EVENT_TIME = "max_event_time";

    private final RuntimeContext ctx;
    private org.apache.flink.api.common.accumulators.LongMaximum maxEventTime;
    private Counter cloudWatchDeadLetters;
    private Counter cloudWatchLate;
    private Counter cloudWatchFuture;
    private org.apache.flink.api.common.accumulators.LongMaximum maxLateness;
    private volatile long maxLatenessMs = -1;
    private final Map<String, Pair> counters = new HashMap<>();

    /** @param ctx the operator's runtime context */
    public PipelineCounters(RuntimeContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Increments a counter, registering it on first use.
     *
     * @param name counter name
     */
    public void inc(String name) {
        add(name, 1);
    }

    /**
     * Adds to a counter, registering it on first use.
     *
     * @param name counter name
     * @param n amount
     */
    public void add(String name, long n) {
        Pair p = counters.get(name);
        if (p == null) {
            LongCounter acc = new LongCounter();
            ctx.addAccumulator(name, acc);
            p = new Pair(ctx.getMetricGroup().counter(name.replace('.', '_')), acc);
            counters.put(name, p);
        }
        p.metric.inc(n);
        p.acc.add(n);
    }

    /**
     * Counts one dead letter: under {@code reasonCounter}, under {@link #DEAD_LETTERS} and in the CloudWatch metric
     * {@code kinesisanalytics/numDeadLetters}.
     *
     * @param reasonCounter the counter of its reason, e.g. {@code malformed.not_json} or {@code late}
     */
    public void deadLetter(String reasonCounter) {
        inc(reasonCounter);
        inc(DEAD_LETTERS);
        if (cloudWatchDeadLetters == null) {
            cloudWatchDeadLetters =
                    ctx.getMetricGroup().addGroup("kinesisanalytics").counter(CLOUDWATCH_DEAD_LETTERS);
        }
        cloudWatchDeadLetters.inc();
    }

    /**
     * Counts one late event of a type some measure uses: a dead letter ({@link #LATE}), the CloudWatch metrics
     * {@link #CLOUDWATCH_LATE} and {@link #CLOUDWATCH_MAX_LATENESS}, and the {@link #MAX_LATENESS_MS} accumulator.
     *
     * @param latenessMs watermark minus event time, ms
     */
    public void late(long latenessMs) {
        deadLetter(LATE);
        if (cloudWatchLate == null) {
            org.apache.flink.metrics.MetricGroup g = ctx.getMetricGroup().addGroup("kinesisanalytics");
            cloudWatchLate = g.counter(CLOUDWATCH_LATE);
            g.gauge(CLOUDWATCH_MAX_LATENESS, () -> maxLatenessMs);
            maxLateness = new org.apache.flink.api.common.accumulators.LongMaximum();
            ctx.addAccumulator(MAX_LATENESS_MS, maxLateness);
        }
        cloudWatchLate.inc();
        maxLateness.add(latenessMs);
        maxLatenessMs = Math.max(maxLatenessMs, latenessMs);
    }

    /** Counts one event dead-lettered for a time too far ahead of its arrival ({@link #CLOUDWATCH_FUTURE}). */
    public void future() {
        if (cloudWatchFuture == null) {
            cloudWatchFuture = ctx.getMetricGroup().addGroup("kinesisanalytics").counter(CLOUDWATCH_FUTURE);
        }
        cloudWatchFuture.inc();
    }

    /**
     * Raises the {@link #MAX_EVENT_TIME} accumulator.
     *
     * @param eventTimeMs an event time, epoch ms
     */
    public void eventTime(long eventTimeMs) {
        if (maxEventTime == null) {
            maxEventTime = new org.apache.flink.api.common.accumulators.LongMaximum();
            ctx.addAccumulator(MAX_EVENT_TIME, maxEventTime);
        }
        maxEventTime.add(eventTimeMs);
    }

    private static final class Pair {
        final Counter metric;
        final LongCounter acc;

        Pair(Counter metric, LongCounter acc) {
            this.metric = metric;
            this.acc = acc;
        }
    }
}
