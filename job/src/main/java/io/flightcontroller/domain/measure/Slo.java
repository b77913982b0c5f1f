package io.flightcontroller.domain.measure;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A service level objective for a lead-time measure: "{@code objective} of cases complete within {@code threshold},
 * over {@code window}". A case is good when its lead is at most the threshold, bad when the threshold passes without
 * its end (including cases that never complete).
 *
 * <p>Error budget over the window (Google SRE Workbook, "Implementing SLOs"): budget = (1 - objective) x events;
 * remaining fraction = 1 - bad / budget; burn rate = (bad / events) / (1 - objective).
 *
 * <p>Every duration is at most {@link DurationLimits#MAX} (short windows are bounded by their long window).
 */
public final class Slo implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Duration threshold;
    private final double objective;
    private final Duration window;
    private final List<BurnRateRule> burnRateRules;
    private final long minEvents;

    /**
     * @param threshold lead-time threshold, &gt; 0
     * @param objective target share of good cases, in (0, 1)
     * @param window SLO window, &gt; threshold
     * @param burnRateRules alerting rules (empty for none)
     * @param minEvents minimum outcomes in a rule's long window before it may fire (guards low-traffic measures), &gt;= 0
     */
    public Slo(
            Duration threshold, double objective, Duration window, List<BurnRateRule> burnRateRules, long minEvents) {
        this.threshold = threshold;
        this.objective = objective;
        this.window = window;
        this.burnRateRules = Collections.unmodifiableList(new ArrayList<>(burnRateRules));
        this.minEvents = minEvents;
    }

    /**
     * Checks the fields.
     *
     * @param measure measure name, for the message
     * @throws InvalidMeasureException naming the field that is wrong
     */
    public void validate(String measure) {
        if (threshold == null || threshold.isZero() || threshold.isNegative()) {
            throw new InvalidMeasureException(
                    measure, "slo.threshold", "must be a positive ISO-8601 duration, e.g. PT1H");
        }
        DurationLimits.checkMax(measure, "slo.threshold", threshold);
        if (!(objective > 0 && objective < 1)) {
            throw new InvalidMeasureException(
                    measure, "slo.objective", "must be in (0, 1), e.g. 0.95; was " + objective);
        }
        if (window == null || window.compareTo(threshold) <= 0) {
            throw new InvalidMeasureException(measure, "slo.window", "must be longer than slo.threshold, e.g. P28D");
        }
        DurationLimits.checkMax(measure, "slo.window", window);
        if (minEvents < 0) {
            throw new InvalidMeasureException(measure, "slo.min_events", "must be >= 0");
        }
        for (int i = 0; i < burnRateRules.size(); i++) {
            BurnRateRule r = burnRateRules.get(i);
            String f = "slo.burn_rate_alerts[" + i + "]";
            if (r.getLongWindow() == null
                    || r.getLongWindow().isZero()
                    || r.getLongWindow().isNegative()) {
                throw new InvalidMeasureException(measure, f + ".long_window", "must be a positive duration");
            }
            DurationLimits.checkMax(measure, f + ".long_window", r.getLongWindow());
            if (r.getShortWindow() == null
                    || r.getShortWindow().isNegative()
                    || r.getShortWindow().isZero()
                    || r.getShortWindow().compareTo(r.getLongWindow()) > 0) {
                throw new InvalidMeasureException(measure, f + ".short_window", "must be positive and <= long_window");
            }
            if (!(r.getBurnRate() > 0)) {
                throw new InvalidMeasureException(measure, f + ".burn_rate", "must be > 0");
            }
        }
    }

    /** @return lead-time threshold */
    public Duration getThreshold() {
        return threshold;
    }
    /** @return objective in (0, 1) */
    public double getObjective() {
        return objective;
    }
    /** @return SLO window */
    public Duration getWindow() {
        return window;
    }
    /** @return burn-rate alerting rules */
    public List<BurnRateRule> getBurnRateRules() {
        return burnRateRules;
    }
    /** @return minimum outcomes in a long window before a rule may fire */
    public long getMinEvents() {
        return minEvents;
    }
}
