package io.flightcontroller.adapters.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.flightcontroller.domain.event.EventTimes;
import io.flightcontroller.domain.event.FrozenPayload;
import io.flightcontroller.domain.event.ProcessEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The common case of {@link EventParser}, read in one streaming pass: a record that becomes an event (a flat event,
 * or an EventBridge envelope whose {@code detail} is an object or a string holding one) with string ids and a string
 * or numeric {@code time}. Gives the same {@link ProcessEvent} as the tree-based code of {@link EventParser}, field
 * by field (the payload equal to the {@code LinkedHashMap}/{@code ArrayList}/String/Integer/Long/BigInteger/Double/
 * Boolean values {@code ObjectMapper.convertValue} makes of the tree, in the same order, and frozen:
 * {@link FrozenPayload}), or gives up ({@code null}) whenever the record
 * is anything else: not JSON, a repeated key at any level, trailing tokens, a dead letter to re-drive, a missing or
 * non-string field, a bad, out-of-range or future time, a payload that is not an object. {@link EventParser} then
 * runs its tree-based code on the record, so every dead letter keeps its reason and text.
 *
 * <p>Shape: no tree, no re-serialization; repeated keys are found here (a scan of the few names of an object, a
 * {@code LinkedHashMap}'s size for payload objects) instead of by Jackson's {@code STRICT_DUPLICATE_DETECTION}.
 * {@code timeOnly} skips building the payload (for callers that need only the event time).
 *
 * <p>Thread-safe: its only state is the {@code JsonFactory}, which Jackson makes safe to share.
 */
final class FastEventReader {
    /** A long nothing here returns as a time: "not an event read by the fast path". */
    static final long NO_TIME = Long.MIN_VALUE;

    private final JsonFactory factory = new JsonFactory();

    /** The fields of one JSON object that {@link EventParser} looks at; other fields are only checked. */
    private static final class Fields {
        JsonToken correlationId;
        String correlationIdText;
        JsonToken aggregateId;
        String aggregateIdText;
        JsonToken eventType;
        String eventTypeText;
        JsonToken time;
        String timeText;
        Number timeNumber;
        JsonToken payload;
        Map<String, Object> payloadMap;
        JsonToken id;
        String idText;
        JsonToken detailType;
        String detailTypeText;
        JsonToken stage;
        JsonToken reason;
        JsonToken raw;
        JsonToken rawBase64;
        JsonToken deadLetterId;
        JsonToken detail;
        String detailText;
        Fields detailFields;
        int envelopeFields;
        boolean source;
        boolean version;
    }

    /**
     * @param text the record
     * @param arrivalMs arrival time in epoch ms, or {@link EventParser#ARRIVAL_UNKNOWN}
     * @param maxFutureSkewMs the parser's skew in ms ({@code Long.MAX_VALUE} when disabled)
     * @return the event, or null when {@link EventParser}'s tree-based code must read the record
     */
    ProcessEvent event(String text, long arrivalMs, long maxFutureSkewMs) {
        Fields f = read(text, false);
        return f == null ? null : toEvent(f, arrivalMs, maxFutureSkewMs, false);
    }

    /**
     * @param text the record
     * @return the event time of the event {@link #event} would give (no future-time check), or {@link #NO_TIME}
     */
    long eventTime(String text) {
        Fields f = read(text, true);
        if (f == null) {
            return NO_TIME;
        }
        ProcessEvent e = toEvent(f, EventParser.ARRIVAL_UNKNOWN, Long.MAX_VALUE, true);
        return e == null ? NO_TIME : e.getTimeMs();
    }

    private Fields read(String text, boolean timeOnly) {
        try (JsonParser p = factory.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Fields f = new Fields();
            if (!readObject(p, f, true, timeOnly) || p.nextToken() != null) {
                return null;
            }
            return f;
        } catch (IOException | RuntimeException e) {
            return null; // the tree-based code reports it
        }
    }

    /** Reads an object's fields after its START_OBJECT; false on a repeated key (at any level). */
    private boolean readObject(JsonParser p, Fields f, boolean top, boolean timeOnly) throws IOException {
        String[] names = new String[12];
        int count = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            for (int k = 0; k < count; k++) {
                if (names[k].equals(name)) {
                    return false;
                }
            }
            if (count == names.length) {
                names = java.util.Arrays.copyOf(names, count * 2);
            }
            names[count++] = name;
            JsonToken v = p.nextToken();
            switch (name) {
                case "correlation_id":
                    f.correlationId = v;
                    f.correlationIdText = stringOrNull(p, v);
                    break;
                case "aggregate_id":
                    f.aggregateId = v;
                    f.aggregateIdText = stringOrNull(p, v);
                    break;
                case "event_type":
                    f.eventType = v;
                    f.eventTypeText = stringOrNull(p, v);
                    break;
                case "time":
                    f.envelopeFields++;
                    f.time = v;
                    if (v == JsonToken.VALUE_STRING) {
                        f.timeText = p.getText();
                    } else if (v == JsonToken.VALUE_NUMBER_INT) {
                        f.timeNumber = p.getNumberValue();
                    } else if (v == JsonToken.VALUE_NUMBER_FLOAT) {
                        f.timeNumber = p.getDoubleValue();
                    }
                    break;
                case "payload":
                    f.payload = v;
                    if (v == JsonToken.START_OBJECT && !timeOnly) {
                        f.payloadMap = new LinkedHashMap<>();
                        if (!readMap(p, f.payloadMap)) {
                            return false;
                        }
                        continue;
                    }
                    break;
                case "id":
                    f.envelopeFields++;
                    f.id = v;
                    f.idText = stringOrNull(p, v);
                    break;
                case "detail-type":
                    f.envelopeFields++;
                    f.detailType = v;
                    f.detailTypeText = stringOrNull(p, v);
                    break;
                case "detail":
                    f.envelopeFields++;
                    f.detail = v;
                    if (top && v == JsonToken.START_OBJECT) {
                        f.detailFields = new Fields();
                        if (!readObject(p, f.detailFields, false, timeOnly)) {
                            return false;
                        }
                        continue;
                    }
                    if (v == JsonToken.VALUE_STRING) {
                        f.detailText = p.getText();
                    }
                    break;
                case "source":
                    f.envelopeFields++;
                    f.source = true;
                    break;
                case "version":
                    f.envelopeFields++;
                    f.version = true;
                    break;
                case "account":
                case "region":
                case "resources":
                    f.envelopeFields++;
                    break;
                case "stage":
                    f.stage = v;
                    break;
                case "reason":
                    f.reason = v;
                    break;
                case "raw":
                    f.raw = v;
                    break;
                case "raw_base64":
                    f.rawBase64 = v;
                    break;
                case "dead_letter_id":
                    f.deadLetterId = v;
                    break;
                default:
                    break;
            }
            if (!skip(p, v)) {
                return false;
            }
        }
        return true;
    }

    /** @return the string value, or null for anything else (the caller looks at the token) */
    private static String stringOrNull(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_STRING ? p.getText() : null;
    }

    /** Passes over the value at {@code v} (nothing to do for a scalar); false on a repeated key inside it. */
    private static boolean skip(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.START_OBJECT) {
            Set<String> seen = null;
            String first = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                if (first == null) {
                    first = name;
                } else {
                    if (seen == null) {
                        seen = new HashSet<>();
                        seen.add(first);
                    }
                    if (!seen.add(name)) {
                        return false;
                    }
                }
                if (!skip(p, p.nextToken())) {
                    return false;
                }
            }
        } else if (v == JsonToken.START_ARRAY) {
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (!skip(p, t)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Reads an object after its START_OBJECT into {@code m}, as Jackson's untyped deserializer; false on a repeat. */
    private static boolean readMap(JsonParser p, Map<String, Object> m) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            Object[] value = new Object[1];
            if (!readValue(p, p.nextToken(), value)) {
                return false;
            }
            int before = m.size();
            m.put(name, value[0]);
            if (m.size() == before) {
                return false;
            }
        }
        return true;
    }

    private static boolean readValue(JsonParser p, JsonToken v, Object[] out) throws IOException {
        switch (v) {
            case START_OBJECT:
                Map<String, Object> m = new LinkedHashMap<>();
                out[0] = m;
                return readMap(p, m);
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    Object[] item = new Object[1];
                    if (!readValue(p, t, item)) {
                        return false;
                    }
                    list.add(item[0]);
                }
                out[0] = list;
                return true;
            case VALUE_STRING:
                out[0] = p.getText();
                return true;
            case VALUE_NUMBER_INT:
                out[0] = p.getNumberValue();
                return true;
            case VALUE_NUMBER_FLOAT:
                out[0] = p.getDoubleValue();
                return true;
            case VALUE_TRUE:
                out[0] = Boolean.TRUE;
                return true;
            case VALUE_FALSE:
                out[0] = Boolean.FALSE;
                return true;
            case VALUE_NULL:
                out[0] = null;
                return true;
            default:
                throw new IOException("unexpected token " + v);
        }
    }

    private static boolean nonNull(JsonToken t) {
        return t != null && t != JsonToken.VALUE_NULL;
    }

    private static boolean isString(JsonToken t) {
        return t == JsonToken.VALUE_STRING;
    }

    /** @return whether the field is one {@code EventParser.text} reads as null (missing, null, object or array) */
    private static boolean textIsNull(JsonToken t) {
        return t == null || t == JsonToken.VALUE_NULL || t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY;
    }

    private ProcessEvent toEvent(Fields root, long arrivalMs, long maxFutureSkewMs, boolean timeOnly) {
        boolean flat = (nonNull(root.correlationId) || nonNull(root.aggregateId))
                && nonNull(root.eventType)
                && nonNull(root.time);
        if (flat) {
            return fromFields(root, null, null, arrivalMs, maxFutureSkewMs, timeOnly);
        }
        if (isString(root.stage)
                && isString(root.reason)
                && (isString(root.raw) || isString(root.rawBase64) || isString(root.deadLetterId))) {
            return null; // a dead letter to re-drive
        }
        boolean envelope = (root.detailType != null || root.source || root.version) && root.envelopeFields >= 2;
        if (!envelope) {
            return null; // a dead letter: missing event fields
        }
        if ((!textIsNull(root.id) && !isString(root.id))
                || (!textIsNull(root.detailType) && !isString(root.detailType))) {
            return null; // a number or boolean as id or detail-type: left to the tree
        }
        Fields detail;
        if (root.detail == JsonToken.START_OBJECT) {
            detail = root.detailFields;
        } else if (root.detail == JsonToken.VALUE_STRING) {
            detail = read(root.detailText, timeOnly);
        } else {
            return null;
        }
        if (detail == null) {
            return null;
        }
        return fromFields(detail, root.idText, root.detailTypeText, arrivalMs, maxFutureSkewMs, timeOnly);
    }

    private static ProcessEvent fromFields(
            Fields f, String eventId, String detailType, long arrivalMs, long maxFutureSkewMs, boolean timeOnly) {
        if (!textIsNull(f.correlationId) && !isString(f.correlationId)) {
            return null;
        }
        String correlationId = f.correlationIdText;
        if (correlationId == null) {
            if (!textIsNull(f.aggregateId) && !isString(f.aggregateId)) {
                return null;
            }
            correlationId = f.aggregateIdText;
        }
        if (correlationId == null || correlationId.isEmpty()) {
            return null;
        }
        if (!textIsNull(f.eventType) && !isString(f.eventType)) {
            return null;
        }
        String eventType = f.eventTypeText;
        if (eventType == null || eventType.isEmpty()) {
            eventType = detailType;
        }
        if (eventType == null || eventType.isEmpty()) {
            return null;
        }
        long timeMs;
        try {
            if (f.time == JsonToken.VALUE_STRING) {
                timeMs = EventTimes.toEpochMillis(f.timeText);
            } else if (f.timeNumber != null) {
                timeMs = EventTimes.toEpochMillis(f.timeNumber);
            } else {
                return null;
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            return null;
        }
        if (!EventTimes.inRange(timeMs)) {
            return null;
        }
        if (arrivalMs != EventParser.ARRIVAL_UNKNOWN && timeMs - maxFutureSkewMs > arrivalMs) {
            return null;
        }
        Map<String, Object> payload;
        if (f.payload == null || f.payload == JsonToken.VALUE_NULL) {
            payload = null;
        } else if (f.payload == JsonToken.START_OBJECT) {
            // frozen: the copies Flink makes between the source's chained operators share it (FrozenPayload)
            payload = timeOnly ? null : FrozenPayload.freeze(f.payloadMap);
        } else {
            return null; // a payload that is not an object: left to the tree
        }
        return ProcessEvent.of(eventId, correlationId, eventType, timeMs, payload);
    }
}
