package io.flightcontroller.domain.result;

import java.io.Serializable;

/**
 * Per-measure statistics over one tumbling event-time window.
 *
 * <p>Shape: {@code measure}; {@code window} (ISO-8601 duration of the window, e.g. {@code PT1H}); {@code windowStartMs}
 * / {@code windowEndMs} (epoch ms UTC, end exclusive); {@code completed} (leads that ended in the window);
 * {@code good} / {@code bad} (SLO outcomes decided in the window: a case is good when it completes within the
 * threshold, bad when the threshold passes without its end - decided once per case); {@code compliance}
 * ({@code good / (good + bad)}, null when both are 0 or the measure has no SLO); {@code p50} .. {@code p99} (lead-time
 * percentiles in ms over the leads completed in the window, from a t-digest; null when none).
 */
public class WindowAggregate implements Serializable {
    private static final long serialVersionUID = 1L;

    private String measure;
    private String window;
    private long windowStartMs;
    private long windowEndMs;
    private long completed;
    private long good;
    private long bad;
    private Double compliance;
    private Double p50;
    private Double p90;
    private Double p95;
    private Double p99;

    public WindowAggregate() {}

    public String getMeasure() {
        return measure;
    }

    public void setMeasure(String measure) {
        this.measure = measure;
    }

    public String getWindow() {
        return window;
    }

    public void setWindow(String window) {
        this.window = window;
    }

    public long getWindowStartMs() {
        return windowStartMs;
    }

    public void setWindowStartMs(long windowStartMs) {
        this.windowStartMs = windowStartMs;
    }

    public long getWindowEndMs() {
        return windowEndMs;
    }

    public void setWindowEndMs(long windowEndMs) {
        this.windowEndMs = windowEndMs;
    }

    public long getCompleted() {
        return completed;
    }

    public void setCompleted(long completed) {
        this.completed = completed;
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

    public Double getCompliance() {
        return compliance;
    }

    public void setCompliance(Double compliance) {
        this.compliance = compliance;
    }

    public Double getP50() {
        return p50;
    }

    public void setP50(Double p50) {
        this.p50 = p50;
    }

    public Double getP90() {
        return p90;
    }

    public void setP90(Double p90) {
        this.p90 = p90;
    }

    public Double getP95() {
        return p95;
    }

    public void setP95(Double p95) {
        this.p95 = p95;
    }

    public Double getP99() {
        return p99;
    }

    public void setP99(Double p99) {
        this.p99 = p99;
    }

    @Override
    public String toString() {
        return "WindowAggregate{" + measure + ", " + window + "@" + java.time.Instant.ofEpochMilli(windowStartMs)
                + ", completed=" + completed + ", good=" + good + ", bad=" + bad + ", compliance=" + compliance
                + ", p50=" + p50 + ", p99=" + p99 + '}';
    }
}
