package io.flightcontroller.domain.result;

import java.io.Serializable;

/**
 * A case still open when a bounded input ended: neither completed nor past its deadline at the last event time seen.
 *
 * <p>Shape: {@code measure}, {@code caseKey}, {@code correlationId}, {@code startMs} (epoch ms UTC) and {@code ageMs}
 * (last event time seen minus start, ms).
 */
public class OpenCase implements Serializable {
    private static final long serialVersionUID = 1L;

    private String measure;
    private String caseKey;
    private String correlationId;
    private long startMs;
    private long ageMs;

    public OpenCase() {}

    /**
     * @return an open case
     * @param measure measure name
     * @param caseKey case key
     * @param correlationId correlation id of the start event
     * @param startMs start, epoch ms UTC
     * @param ageMs age at end of input, ms
     */
    public static OpenCase of(String measure, String caseKey, String correlationId, long startMs, long ageMs) {
        OpenCase o = new OpenCase();
        o.measure = measure;
        o.caseKey = caseKey;
        o.correlationId = correlationId;
        o.startMs = startMs;
        o.ageMs = ageMs;
        return o;
    }

    public String getMeasure() {
        return measure;
    }

    public void setMeasure(String measure) {
        this.measure = measure;
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

    public long getStartMs() {
        return startMs;
    }

    public void setStartMs(long startMs) {
        this.startMs = startMs;
    }

    public long getAgeMs() {
        return ageMs;
    }

    public void setAgeMs(long ageMs) {
        this.ageMs = ageMs;
    }

    @Override
    public String toString() {
        return "OpenCase{" + measure + ", " + caseKey + ", age=" + ageMs + "ms}";
    }
}
