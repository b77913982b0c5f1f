package io.flightcontroller.adapters.parse;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.domain.DeadLetter;
import io.flightcontroller.domain.EventTimes;
import io.flightcontroller.domain.ParsedRecord;
import io.flightcontroller.domain.ProcessEvent;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one raw record (a JSON text) into a {@link ProcessEvent}, or into a {@link DeadLetter} with the reason.
 * Never throws for bad input.
 *
 * <p>Accepted shapes: the Amazon EventBridge envelope ({@code version, id, detail-type, source, account, time, region,
 * resources, detail}) where {@code detail} is a JSON object or a JSON string holding one, and a flat event (just the
 * detail fields). Detail fields: {@code correlation_id} (or {@code aggregate_id}, the older name; string or number),
 * {@code event_type} (falls back to the envelope's {@code detail-type}), {@code time} (see {@link EventTimes}; the
 * detail's time is the event time, the envelope's time is ignored) and an optional {@code payload} (an object; another
 * JSON value is kept as {@code {"value": ...}}). The envelope's {@code id} becomes the event id used for
 * de-duplication.
 *
 * <p>Limits: records longer than {@code maxRecordBytes} UTF-8 bytes are rejected as {@code oversized} (default 262,144
 * bytes, the EventBridge PutEvents entry limit of 256 KB).
 */
public final class EventParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default maximum record size in bytes: 256 KiB, the EventBridge PutEvents entry size limit. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 256 * 1024;

    private static final String STAGE = "parse";

    private final int maxRecordBytes;
    private transient ObjectMapper mapper;

    /** A parser with {@link #DEFAULT_MAX_RECORD_BYTES}. */
    public EventParser() {
        this(DEFAULT_MAX_RECORD_BYTES);
    }

    /**
     * @param maxRecordBytes maximum accepted record size in UTF-8 bytes, &gt; 0
     * @throws IllegalArgumentException when not positive
     */
    public EventParser(int maxRecordBytes) {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be > 0, was " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }
        return mapper;
    }

    /**
     * Parses UTF-8 bytes (for example a Kinesis record).
     *
     * @param bytes the record
     * @return an event or a dead letter
     */
    public ParsedRecord parse(byte[] bytes) {
        if (bytes.length > maxRecordBytes) {
            return ParsedRecord.ofDeadLetter(DeadLetter.of(STAGE, DeadLetter.REASON_OVERSIZED,
                    "record is " + bytes.length + " bytes, limit " + maxRecordBytes,
                    new String(bytes, 0, Math.min(bytes.length, DeadLetter.MAX_RAW_CHARS), StandardCharsets.UTF_8)));
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Parses one record.
     *
     * @param raw the record text
     * @return an event or a dead letter; never null
     */
    public ParsedRecord parse(String raw) {
        if (raw.length() > maxRecordBytes || raw.getBytes(StandardCharsets.UTF_8).length > maxRecordBytes) {
            return dead(DeadLetter.REASON_OVERSIZED, "record is longer than " + maxRecordBytes + " bytes", raw);
        }
        JsonNode root;
        try {
            root = mapper().readTree(raw);
        } catch (JsonEOFException e) {
            return dead(DeadLetter.REASON_TRUNCATED_JSON, "JSON ends early: " + firstLine(e), raw);
        } catch (JsonParseException e) {
            return dead(DeadLetter.REASON_NOT_JSON, "not JSON: " + firstLine(e), raw);
        } catch (IOException e) {
            return dead(DeadLetter.REASON_NOT_JSON, "not JSON: " + firstLine(e), raw);
        }
        if (root == null || root.isMissingNode()) {
            return dead(DeadLetter.REASON_NOT_JSON, "empty record", raw);
        }
        if (!root.isObject()) {
            return dead(DeadLetter.REASON_NOT_AN_OBJECT, "expected a JSON object, got " + root.getNodeType(), raw);
        }
        String eventId = null;
        String detailType = null;
        JsonNode detail = root;
        if (root.has("detail") && (root.has("detail-type") || root.has("source") || root.has("version"))) {
            eventId = text(root.get("id"));
            detailType = text(root.get("detail-type"));
            detail = root.get("detail");
            if (detail != null && detail.isTextual()) {
                try {
                    detail = mapper().readTree(detail.asText());
                } catch (JsonEOFException e) {
                    return dead(DeadLetter.REASON_TRUNCATED_JSON, "detail string ends early: " + firstLine(e), raw);
                } catch (IOException e) {
                    return dead(DeadLetter.REASON_NOT_JSON, "detail string is not JSON: " + firstLine(e), raw);
                }
            }
            if (detail == null || !detail.isObject()) {
                return dead(DeadLetter.REASON_NOT_AN_OBJECT, "envelope detail is not a JSON object", raw);
            }
        }
        String correlationId = text(detail.get("correlation_id"));
        if (correlationId == null) {
            correlationId = text(detail.get("aggregate_id"));
        }
        if (correlationId == null || correlationId.isEmpty()) {
            return dead(DeadLetter.REASON_MISSING_CORRELATION_ID, "no correlation_id (or aggregate_id)", raw);
        }
        String eventType = text(detail.get("event_type"));
        if (eventType == null || eventType.isEmpty()) {
            eventType = detailType;
        }
        if (eventType == null || eventType.isEmpty()) {
            return dead(DeadLetter.REASON_MISSING_EVENT_TYPE, "no event_type", raw, correlationId, null);
        }
        JsonNode timeNode = detail.get("time");
        if (timeNode == null || timeNode.isNull()) {
            return dead(DeadLetter.REASON_MISSING_TIME, "no time", raw, correlationId, null);
        }
        long timeMs;
        try {
            timeMs = EventTimes.toEpochMillis(timeNode.isNumber() ? timeNode.numberValue() : timeNode.asText());
        } catch (IllegalArgumentException | ArithmeticException e) {
            return dead(DeadLetter.REASON_BAD_TIME, e.getMessage(), raw, correlationId, null);
        }
        return ParsedRecord.ofEvent(ProcessEvent.of(eventId, correlationId, eventType, timeMs, payload(detail)));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> payload(JsonNode detail) {
        JsonNode p = detail.get("payload");
        if (p == null || p.isNull()) {
            return null;
        }
        if (p.isObject()) {
            return mapper().convertValue(p, LinkedHashMap.class);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", mapper().convertValue(p, Object.class));
        return m;
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isContainerNode()) {
            return null;
        }
        return n.asText();
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }

    private static ParsedRecord dead(String reason, String detail, String raw) {
        return ParsedRecord.ofDeadLetter(DeadLetter.of(STAGE, reason, detail, raw));
    }

    private static ParsedRecord dead(String reason, String detail, String raw, String correlationId, Long time) {
        return ParsedRecord.ofDeadLetter(DeadLetter.of(STAGE, reason, detail, raw).withEvent(correlationId, time));
    }
}
