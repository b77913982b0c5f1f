package io.flightcontroller.domain;

import java.io.Serializable;

/**
 * A record Flight Controller could not use, kept with its reason so nothing is lost silently.
 *
 * <p>Shape: {@code reason} (one of the {@code REASON_*} constants, also the name of the counter that counts it),
 * {@code detail} (human-readable explanation), {@code raw} (the original record, capped at {@link #MAX_RAW_CHARS}
 * characters), {@code correlationId} and {@code eventTimeMs} when known (else null), {@code stage} (where it was
 * rejected: {@code parse}, {@code match}, {@code sink:<name>}).
 */
public class DeadLetter implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Raw content kept per dead letter, in characters; longer records are truncated (and say so). */
    public static final int MAX_RAW_CHARS = 4096;

    public static final String REASON_NOT_JSON = "not_json";
    public static final String REASON_TRUNCATED_JSON = "truncated_json";
    public static final String REASON_NOT_AN_OBJECT = "not_an_object";
    public static final String REASON_MISSING_CORRELATION_ID = "missing_correlation_id";
    public static final String REASON_MISSING_EVENT_TYPE = "missing_event_type";
    public static final String REASON_MISSING_TIME = "missing_time";
    public static final String REASON_BAD_TIME = "bad_time";
    public static final String REASON_OVERSIZED = "oversized";
    public static final String REASON_LATE = "late";
    public static final String REASON_MISSING_KEY_FIELD = "missing_key_field";
    public static final String REASON_SINK_REJECTED = "sink_rejected";

    private String reason;
    private String detail;
    private String raw;
    private String correlationId;
    private Long eventTimeMs;
    private String stage;

    public DeadLetter() {}

    /**
     * Creates a dead letter; {@code raw} is capped at {@link #MAX_RAW_CHARS}.
     *
     * @param stage where the record was rejected
     * @param reason machine-readable reason ({@code REASON_*})
     * @param detail human-readable explanation
     * @param raw original content, may be null
     * @return the dead letter
     */
    public static DeadLetter of(String stage, String reason, String detail, String raw) {
        DeadLetter d = new DeadLetter();
        d.stage = stage;
        d.reason = reason;
        d.detail = detail;
        d.raw = cap(raw);
        return d;
    }

    /**
     * Caps a raw record at {@link #MAX_RAW_CHARS} characters, marking the cut.
     *
     * @param raw the record, may be null
     * @return the capped record
     */
    public static String cap(String raw) {
        if (raw == null || raw.length() <= MAX_RAW_CHARS) {
            return raw;
        }
        return raw.substring(0, MAX_RAW_CHARS) + "...[truncated, " + raw.length() + " chars]";
    }

    /** @return this dead letter with the case's correlation id and event time (ms UTC) set */
    public DeadLetter withEvent(String correlationId, Long eventTimeMs) {
        this.correlationId = correlationId;
        this.eventTimeMs = eventTimeMs;
        return this;
    }

    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public String getDetail() { return detail; }
    public void setDetail(String detail) { this.detail = detail; }
    public String getRaw() { return raw; }
    public void setRaw(String raw) { this.raw = raw; }
    public String getCorrelationId() { return correlationId; }
    public void setCorrelationId(String correlationId) { this.correlationId = correlationId; }
    /** @return event time in epoch ms UTC, or null when unknown */
    public Long getEventTimeMs() { return eventTimeMs; }
    public void setEventTimeMs(Long eventTimeMs) { this.eventTimeMs = eventTimeMs; }
    public String getStage() { return stage; }
    public void setStage(String stage) { this.stage = stage; }

    @Override
    public String toString() {
        return "DeadLetter{" + stage + ", " + reason + ", " + detail + ", raw=" + raw + '}';
    }
}
