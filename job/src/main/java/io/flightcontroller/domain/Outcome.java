package io.flightcontroller.domain;

import java.io.Serializable;

/**
 * One input to the SLO aggregates and burn-rate alerting: a lead that completed and/or an SLO verdict.
 *
 * <p>Shape: {@code measure}; {@code timeMs} (event time of the outcome, epoch ms UTC: the end event's time for a
 * completion, start + threshold for a breach); {@code good} (TRUE good, FALSE bad, null when the measure has no SLO);
 * {@code decided} (true for the single outcome per case that counts towards good/bad and the error budget; false for
 * a lead that completes after its case was already counted bad, which only feeds the lead-time percentiles);
 * {@code leadMs} (the lead in ms when a case completed, else null).
 */
public class Outcome implements Serializable {
    private static final long serialVersionUID = 1L;

    private String measure;
    private long timeMs;
    private Boolean good;
    private boolean decided;
    private Long leadMs;

    public Outcome() {}

    /**
     * @param measure measure name
     * @param timeMs event time, epoch ms UTC
     * @param good verdict, or null without an SLO
     * @param decided whether this outcome is the case's one verdict
     * @param leadMs lead in ms, or null
     * @return the outcome
     */
    public static Outcome of(String measure, long timeMs, Boolean good, boolean decided, Long leadMs) {
        Outcome o = new Outcome();
        o.measure = measure;
        o.timeMs = timeMs;
        o.good = good;
        o.decided = decided;
        o.leadMs = leadMs;
        return o;
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

    public Boolean getGood() {
        return good;
    }

    public void setGood(Boolean good) {
        this.good = good;
    }

    public boolean isDecided() {
        return decided;
    }

    public void setDecided(boolean decided) {
        this.decided = decided;
    }

    public Long getLeadMs() {
        return leadMs;
    }

    public void setLeadMs(Long leadMs) {
        this.leadMs = leadMs;
    }

    @Override
    public String toString() {
        return "Outcome{" + measure + "@" + timeMs + ", good=" + good + ", decided=" + decided + ", lead=" + leadMs
                + '}';
    }
}
