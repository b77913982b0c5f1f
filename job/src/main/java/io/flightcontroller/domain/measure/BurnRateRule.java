package io.flightcontroller.domain.measure;

import io.flightcontroller.domain.result.Severity;
import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One multi-window burn-rate alerting rule: the rule is true when the burn rate exceeds {@code burnRate} over both the
 * long and the short window (Google SRE Workbook, chapter "Alerting on SLOs", section "Multiwindow, multi-burn-rate
 * alerts"). Burn rate = (bad / events in the window) / (1 - objective).
 */
public final class BurnRateRule implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Severity severity;
    private final Duration longWindow;
    private final Duration shortWindow;
    private final double burnRate;

    /**
     * @param severity carried to the alert
     * @param longWindow long window, e.g. 1 h
     * @param shortWindow short window, e.g. 5 min; must not exceed the long window
     * @param burnRate threshold, strictly exceeded to fire, e.g. 14.4
     */
    public BurnRateRule(Severity severity, Duration longWindow, Duration shortWindow, double burnRate) {
        this.severity = severity;
        this.longWindow = longWindow;
        this.shortWindow = shortWindow;
        this.burnRate = burnRate;
    }

    /**
     * The SRE Workbook's recommended rules for a 30-day SLO: page at 14.4 over 1 h and 5 min, page at 6 over 6 h and
     * 30 min, ticket at 1 over 3 days and 6 h.
     *
     * @return the default rules
     */
    public static List<BurnRateRule> workbookDefaults() {
        return Collections.unmodifiableList(Arrays.asList(
                new BurnRateRule(Severity.PAGE, Duration.ofHours(1), Duration.ofMinutes(5), 14.4),
                new BurnRateRule(Severity.PAGE, Duration.ofHours(6), Duration.ofMinutes(30), 6.0),
                new BurnRateRule(Severity.TICKET, Duration.ofDays(3), Duration.ofHours(6), 1.0)));
    }

    public Severity getSeverity() {
        return severity;
    }

    public Duration getLongWindow() {
        return longWindow;
    }

    public Duration getShortWindow() {
        return shortWindow;
    }

    public double getBurnRate() {
        return burnRate;
    }

    /** @return a stable id such as {@code page:PT1H/PT5M>14.4} */
    public String id() {
        return severity.label() + ":" + longWindow + "/" + shortWindow + ">" + burnRate;
    }

    @Override
    public String toString() {
        return id();
    }
}
