package io.flightcontroller.domain.result;

import io.flightcontroller.domain.measure.MeasureKind;
import java.io.Serializable;
import java.util.Collections;
import java.util.Map;

/**
 * One result of a measure for one case (or one cycle of a case): a lead time, a count, a running counter or a value.
 *
 * <p>Shape: {@code measure} (measure name), {@code kind} ({@link MeasureKind} name, lower case), {@code caseKey} (the
 * measure's key: the correlation id, or the correlation id combined with payload fields), {@code correlationId},
 * {@code cycle} (1 for the first cycle of a key; counts up when the measure counts every cycle), {@code startMs} /
 * {@code endMs} (event times, epoch ms UTC; for single-event kinds both are the event's time), {@code value} (lead time
 * in ms for {@code lead_time}; count for {@code cycle_count}; running total for {@code counter}; the expression result
 * for {@code value}), {@code maxValue} (largest per-cycle count so far for {@code cycle_count}, else null),
 * {@code good} (SLO verdict: true when the lead is within the threshold, false when above, null without an SLO),
 * {@code late} (completed by an event that arrived behind the watermark), {@code afterTimeout} (completed after the
 * case had timed out: a correction carrying the true duration) and {@code dimensions} (payload fields the measure
 * carries to the sinks).
 */
public class Measurement implements Serializable {
    private static final long serialVersionUID = 1L;

    private String measure;
    private MeasureKind kind;
    private String caseKey;
    private String correlationId;
    private int cycle;
    private long startMs;
    private long endMs;
    private double value;
    private Double maxValue;
    private Boolean good;
    private boolean late;
    private boolean afterTimeout;
    private Map<String, String> dimensions;

    public Measurement() {}

    /** @return the lead time or value as a long (lead times are whole milliseconds) */
    public long valueAsLong() {
        return Math.round(value);
    }

    public String getMeasure() {
        return measure;
    }

    public void setMeasure(String measure) {
        this.measure = measure;
    }

    public MeasureKind getKind() {
        return kind;
    }

    public void setKind(MeasureKind kind) {
        this.kind = kind;
    }

    public String getCaseKey() {
        return caseKey;
    }

    public void setCaseKey(String caseKey) {
        this.caseKey = caseKey;
    }

    public String getCorrelationId() {
        return correlationId;
    }

    public void setCorrelationId(String correlationId) {
        this.correlationId = correlationId;
    }

    public int getCycle() {
        return cycle;
    }

    public void setCycle(int cycle) {
        this.cycle = cycle;
    }
    /** @return start event time, epoch ms UTC */
    public long getStartMs() {
        return startMs;
    }

    public void setStartMs(long startMs) {
        this.startMs = startMs;
    }
    /** @return end event time, epoch ms UTC */
    public long getEndMs() {
        return endMs;
    }

    public void setEndMs(long endMs) {
        this.endMs = endMs;
    }
    /** @return lead time in ms, count, running total or expression value, depending on {@link #getKind()} */
    public double getValue() {
        return value;
    }

    public void setValue(double value) {
        this.value = value;
    }

    public Double getMaxValue() {
        return maxValue;
    }

    public void setMaxValue(Double maxValue) {
        this.maxValue = maxValue;
    }

    public Boolean getGood() {
        return good;
    }

    public void setGood(Boolean good) {
        this.good = good;
    }

    public boolean isLate() {
        return late;
    }

    public void setLate(boolean late) {
        this.late = late;
    }

    public boolean isAfterTimeout() {
        return afterTimeout;
    }

    public void setAfterTimeout(boolean afterTimeout) {
        this.afterTimeout = afterTimeout;
    }

    public Map<String, String> getDimensions() {
        return dimensions == null ? Collections.emptyMap() : dimensions;
    }

    public void setDimensions(Map<String, String> dimensions) {
        this.dimensions = dimensions;
    }

    @Override
    public String toString() {
        return "Measurement{" + measure + ", key=" + caseKey + ", cycle=" + cycle + ", value=" + value
                + (good == null ? "" : ", good=" + good) + (late ? ", late" : "")
                + (afterTimeout ? ", afterTimeout" : "") + ", dims=" + getDimensions() + '}';
    }
}
