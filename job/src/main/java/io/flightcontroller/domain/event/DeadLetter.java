package io.flightcontroller.domain.event;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Base64;

/**
 * A record Flight Controller could not use, kept with its reason so nothing is lost silently.
 *
 * <p>Shape: {@code reason} (one of the {@code REASON_*} constants, also the name of the counter that counts it),
 * {@code detail} (human-readable explanation), {@code raw} (the original record, capped at {@link #MAX_RAW_CHARS}
 * characters), {@code correlationId} and {@code eventTimeMs} when known (else null), {@code stage} (where it was
 * rejected: {@code parse}, {@code dedup}, {@code route}, {@code sink:<name>}) and {@code rawBase64} (only for a record
 * that is not valid UTF-8, reason {@link #REASON_BAD_ENCODING}: its exact bytes in Base64, capped at
 * {@link #MAX_RAW_CHARS} bytes, so it can be re-driven byte for byte; {@code raw} then shows it readably, see
 * {@link #withRawBytes}). A capped {@code raw} or {@code rawBase64} ends with
 * {@code ...[truncated, <n> chars|bytes]} ({@link #isTruncated}).
 */
public class DeadLetter implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Raw content kept per dead letter, in characters; longer records are truncated (and say so). */
    public static final int MAX_RAW_CHARS = 4096;

    private static final String TRUNCATED = "...[truncated, ";

    public static final String REASON_NOT_JSON = "not_json";
    public static final String REASON_TRUNCATED_JSON = "truncated_json";
    public static final String REASON_NOT_AN_OBJECT = "not_an_object";
    public static final String REASON_MISSING_CORRELATION_ID = "missing_correlation_id";
    public static final String REASON_MISSING_EVENT_TYPE = "missing_event_type";
    public static final String REASON_MISSING_TIME = "missing_time";
    public static final String REASON_BAD_TIME = "bad_time";
    public static final String REASON_BAD_ENCODING = "bad_encoding";
    public static final String REASON_DUPLICATE_KEY = "duplicate_key";
    public static final String REASON_MISSING_DETAIL = "missing_detail";
    public static final String REASON_FUTURE_TIME = "future_time";
    /** A re-driven dead letter whose original record is not available (capped raw, output record, no raw). */
    public static final String REASON_NOT_REDRIVABLE = "not_redrivable";

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
    private String rawBase64;

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
        return raw.substring(0, MAX_RAW_CHARS) + truncationMark(raw.length(), "chars");
    }

    /**
     * The mark a capped raw record ends with.
     *
     * @param length the full record's length
     * @param unit {@code chars} or {@code bytes}
     * @return {@code ...[truncated, <length> <unit>]}
     */
    public static String truncationMark(long length, String unit) {
        return TRUNCATED + length + ' ' + unit + ']';
    }

    /**
     * Whether a raw record (or Base64 raw bytes) was capped when the dead letter was made, i.e. ends with a
     * {@link #truncationMark}. No JSON object ends so, so a re-driven record that does is known to be incomplete.
     *
     * @param raw the raw record, may be null
     * @return whether it ends with a truncation mark
     */
    public static boolean isTruncated(String raw) {
        int at = raw == null ? -1 : raw.lastIndexOf(TRUNCATED);
        if (at < 0) {
            return false;
        }
        int i = at + TRUNCATED.length();
        int digitsFrom = i;
        while (i < raw.length() && raw.charAt(i) >= '0' && raw.charAt(i) <= '9') {
            i++;
        }
        String unit = raw.substring(i);
        return i > digitsFrom && (unit.equals(" chars]") || unit.equals(" bytes]"));
    }

    /**
     * Keeps a record's exact bytes (for a record that is not valid UTF-8) as {@code rawBase64}: the first
     * {@link #MAX_RAW_CHARS} bytes in Base64, followed by a {@link #truncationMark} in bytes when there were more.
     *
     * @param bytes the record's bytes, not null
     * @return this dead letter
     */
    public DeadLetter withRawBytes(byte[] bytes) {
        return withRawBytes(bytes, 0, bytes.length);
    }

    /**
     * Like {@link #withRawBytes(byte[])} for the record {@code bytes[offset, offset + length)}.
     *
     * @param bytes buffer holding the record
     * @param offset where the record starts
     * @param length the record's length in bytes
     * @return this dead letter
     */
    public DeadLetter withRawBytes(byte[] bytes, int offset, int length) {
        int kept = Math.min(length, MAX_RAW_CHARS);
        rawBase64 = Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, offset, offset + kept))
                + (kept < length ? truncationMark(length, "bytes") : "");
        return this;
    }

    /** @return this dead letter with the case's correlation id and event time (ms UTC) set */
    public DeadLetter withEvent(String correlationId, Long eventTimeMs) {
        this.correlationId = correlationId;
        this.eventTimeMs = eventTimeMs;
        return this;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getDetail() {
        return detail;
    }

    public void setDetail(String detail) {
        this.detail = detail;
    }

    public String getRaw() {
        return raw;
    }

    public void setRaw(String raw) {
        this.raw = raw;
    }

    public String getCorrelationId() {
        return correlationId;
    }

    public void setCorrelationId(String correlationId) {
        this.correlationId = correlationId;
    }
    /** @return event time in epoch ms UTC, or null when unknown */
    public Long getEventTimeMs() {
        return eventTimeMs;
    }

    public void setEventTimeMs(Long eventTimeMs) {
        this.eventTimeMs = eventTimeMs;
    }

    public String getStage() {
        return stage;
    }

    public void setStage(String stage) {
        this.stage = stage;
    }
    /** @return the record's exact bytes in Base64 when it was not valid UTF-8, else null */
    public String getRawBase64() {
        return rawBase64;
    }

    public void setRawBase64(String rawBase64) {
        this.rawBase64 = rawBase64;
    }

    @Override
    public String toString() {
        return "DeadLetter{" + stage + ", " + reason + ", " + detail + ", raw=" + raw + '}';
    }
}
