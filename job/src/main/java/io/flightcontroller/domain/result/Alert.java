package io.flightcontroller.domain.result;

import java.io.Serializable;

/**
 * An alert: a case that timed out or breached its SLO threshold, or a burn-rate alert firing or resolving.
 *
 * <p>Shape: {@code kind} ({@link Kind}), {@code severity} ({@link Severity}),
 * {@code measure}, {@code caseKey} / {@code correlationId} (null for burn-rate alerts), {@code startMs} (case start,
 * epoch ms UTC; for burn-rate alerts the start of the long window), {@code deadlineMs} (start + threshold or timeout;
 * for burn-rate alerts the evaluation time), {@code observedLeadMs} (lead observed so far at the deadline),
 * {@code burnRate} (burn rate over the long window, burn-rate alerts only), {@code objective} (SLO objective in (0,1),
 * null without an SLO), {@code window} (ISO-8601 duration of the rule's windows, burn-rate alerts only),
 * {@code missingStep} (TIMEOUT of a sequence: the event type, or types joined with {@code ,}, of the step the case
 * did not reach in time; null otherwise), {@code subject} (one human-readable line) and {@code alertId} (stable
 * across restarts and replays: the same alert always gets the same id, so sinks can de-duplicate, e.g. as an SNS FIFO
 * de-duplication id).
 */
public class Alert implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What happened. */
    public enum Kind {
        /** The case's end did not arrive before start + timeout. */
        TIMEOUT,
        /** The case's end did not arrive before start + SLO threshold (raised proactively at the deadline). */
        BREACH,
        /** A burn-rate rule's condition became true. */
        BURN_RATE_FIRING,
        /** A firing burn-rate rule's condition became false. */
        BURN_RATE_RESOLVED
    }

    private Kind kind;
    private Severity severity;
    private String measure;
    private String caseKey;
    private String correlationId;
    private long startMs;
    private long deadlineMs;
    private Long observedLeadMs;
    private Double burnRate;
    private Double objective;
    private String window;
    private String missingStep;
    private String subject;
    private String alertId;

    public Alert() {}

    public Kind getKind() {
        return kind;
    }

    public void setKind(Kind kind) {
        this.kind = kind;
    }

    public Severity getSeverity() {
        return severity;
    }

    public void setSeverity(Severity severity) {
        this.severity = severity;
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
    /** @return case start (or long-window start), epoch ms UTC */
    public long getStartMs() {
        return startMs;
    }

    public void setStartMs(long startMs) {
        this.startMs = startMs;
    }
    /** @return deadline (or evaluation time), epoch ms UTC */
    public long getDeadlineMs() {
        return deadlineMs;
    }

    public void setDeadlineMs(long deadlineMs) {
        this.deadlineMs = deadlineMs;
    }
    /** @return lead observed at the deadline in ms, or null */
    public Long getObservedLeadMs() {
        return observedLeadMs;
    }

    public void setObservedLeadMs(Long observedLeadMs) {
        this.observedLeadMs = observedLeadMs;
    }

    public Double getBurnRate() {
        return burnRate;
    }

    public void setBurnRate(Double burnRate) {
        this.burnRate = burnRate;
    }

    public Double getObjective() {
        return objective;
    }

    public void setObjective(Double objective) {
        this.objective = objective;
    }

    public String getWindow() {
        return window;
    }

    public void setWindow(String window) {
        this.window = window;
    }
    /** @return the expected event type(s) of the step a sequence did not reach in time, or null */
    public String getMissingStep() {
        return missingStep;
    }

    public void setMissingStep(String missingStep) {
        this.missingStep = missingStep;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getAlertId() {
        return alertId;
    }

    public void setAlertId(String alertId) {
        this.alertId = alertId;
    }

    @Override
    public String toString() {
        return "Alert{" + kind + ", " + severity + ", " + measure + ", key=" + caseKey + ", id=" + alertId + ", "
                + subject + '}';
    }
}
