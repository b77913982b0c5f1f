package io.flightcontroller.domain.result;

import io.flightcontroller.domain.event.EventTimes;
import io.flightcontroller.domain.measure.Slo;
import java.io.Serializable;

/**
 * Error budget of one measure's SLO over its window, at one point in event time (Google SRE Workbook, "Implementing
 * SLOs": budget = (1 - objective) x events; remaining fraction = 1 - bad / budget; burn rate = bad ratio /
 * (1 - objective)).
 *
 * <p>Shape: {@code measure}, {@code timeMs} (evaluation time, epoch ms UTC; the window is (timeMs - window, timeMs]),
 * {@code window} (ISO-8601), {@code events} / {@code good} / {@code bad} (SLO outcomes in the window),
 * {@code budget} (allowed bad outcomes), {@code remainingFraction} (may be negative when overspent; null without
 * events), {@code burnRate} (null without events).
 */
public class ErrorBudget implements Serializable {
    private static final long serialVersionUID = 1L;

    private String measure;
    private long timeMs;
    private String window;
    private long events;
    private long good;
    private long bad;
    private double budget;
    private Double remainingFraction;
    private Double burnRate;

    public ErrorBudget() {}

    /**
     * Computes the budget figures.
     *
     * @param measure measure name
     * @param timeMs evaluation time, epoch ms UTC
     * @param slo the SLO (objective and window)
     * @param good good outcomes in the window
     * @param bad bad outcomes in the window
     * @return the error budget
     */
    public static ErrorBudget of(String measure, long timeMs, Slo slo, long good, long bad) {
        ErrorBudget b = new ErrorBudget();
        b.measure = measure;
        b.timeMs = timeMs;
        b.window = slo.getWindow().toString();
        b.good = good;
        b.bad = bad;
        b.events = good + bad;
        b.budget = (1 - slo.getObjective()) * b.events;
        b.burnRate = burnRate(good, bad, slo.getObjective());
        b.remainingFraction = b.events == 0 ? null : 1 - bad / b.budget;
        return b;
    }

    /**
     * Burn rate = (bad / events) / (1 - objective).
     *
     * @param good good outcomes
     * @param bad bad outcomes
     * @param objective SLO objective in (0, 1)
     * @return the burn rate, or null when there are no outcomes
     */
    public static Double burnRate(long good, long bad, double objective) {
        long events = good + bad;
        return events == 0 ? null : ((double) bad / events) / (1 - objective);
    }

    public String getMeasure() {
        return measure;
    }

    public void setMeasure(String measure) {
        this.measure = measure;
    }

    public long getTimeMs() {
        return timeMs;
    }

    public void setTimeMs(long timeMs) {
        this.timeMs = timeMs;
    }

    public String getWindow() {
        return window;
    }

    public void setWindow(String window) {
        this.window = window;
    }

    public long getEvents() {
        return events;
    }

    public void setEvents(long events) {
        this.events = events;
    }

    public long getGood() {
        return good;
    }

    public void setGood(long good) {
        this.good = good;
    }

    public long getBad() {
        return bad;
    }

    public void setBad(long bad) {
        this.bad = bad;
    }

    public double getBudget() {
        return budget;
    }

    public void setBudget(double budget) {
        this.budget = budget;
    }

    public Double getRemainingFraction() {
        return remainingFraction;
    }

    public void setRemainingFraction(Double remainingFraction) {
        this.remainingFraction = remainingFraction;
    }

    public Double getBurnRate() {
        return burnRate;
    }

    public void setBurnRate(Double burnRate) {
        this.burnRate = burnRate;
    }

    @Override
    public String toString() {
        return "ErrorBudget{" + measure + "@" + EventTimes.iso(timeMs) + ", events=" + events + ", bad=" + bad
                + ", remaining=" + remainingFraction + ", burnRate=" + burnRate + '}';
    }
}
