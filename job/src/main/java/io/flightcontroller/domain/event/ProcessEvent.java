package io.flightcontroller.domain.event;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * One process event of one process instance, as Flight Controller sees it after parsing.
 *
 * <p>Shape: {@code correlationId} (the process instance, never null), {@code eventType} (for example
 * {@code project_requested}), {@code timeMs} (event time in epoch milliseconds UTC, taken from the event's own
 * {@code time} field, never from an envelope or the arrival time), an optional {@code payload} (JSON object as plain
 * Java maps, lists, strings, numbers and booleans) and an optional {@code eventId} (the EventBridge envelope {@code id},
 * used for de-duplication).
 *
 * <p>A Flink POJO (public no-argument constructor, getters and setters) so the runtime serializes it without Kryo for
 * the scalar fields.
 */
public class ProcessEvent implements Serializable {
    private static final long serialVersionUID = 1L;

    private String eventId;
    private String correlationId;
    private String eventType;
    private long timeMs;
    private Map<String, Object> payload;
    private long identity;
    private long seq;
    private long lateWatermark = Long.MIN_VALUE;

    /** For serializers; use {@link #of}. */
    public ProcessEvent() {}

    /**
     * Creates an event.
     *
     * @param eventId EventBridge envelope id, or null when the producer sent a flat event
     * @param correlationId process instance id, not null
     * @param eventType event type, not null
     * @param timeMs event time, epoch milliseconds UTC
     * @param payload payload fields, or null for none
     * @return the event
     */
    public static ProcessEvent of(
            String eventId, String correlationId, String eventType, long timeMs, Map<String, Object> payload) {
        ProcessEvent e = new ProcessEvent();
        e.eventId = eventId;
        e.correlationId = Objects.requireNonNull(correlationId, "correlationId");
        e.eventType = Objects.requireNonNull(eventType, "eventType");
        e.timeMs = timeMs;
        e.payload = payload;
        return e;
    }

    public String getEventId() {
        return eventId;
    }

    public void setEventId(String eventId) {
        this.eventId = eventId;
    }

    public String getCorrelationId() {
        return correlationId;
    }

    public void setCorrelationId(String correlationId) {
        this.correlationId = correlationId;
    }

    public String getEventType() {
        return eventType;
    }

    public void setEventType(String eventType) {
        this.eventType = eventType;
    }
    /** @return event time, epoch milliseconds UTC */
    public long getTimeMs() {
        return timeMs;
    }

    public void setTimeMs(long timeMs) {
        this.timeMs = timeMs;
    }
    /** @return payload fields, never null (empty when the event had none) */
    public Map<String, Object> getPayload() {
        return payload == null ? Collections.emptyMap() : payload;
    }

    public void setPayload(Map<String, Object> payload) {
        this.payload = payload;
    }

    /**
     * Reads a payload field by dotted path ({@code a.b} reads {@code payload.a.b}); a leading {@code payload.} is
     * optional.
     *
     * @param path dotted path
     * @return the value, or null when any step is missing
     */
    @SuppressWarnings("unchecked")
    public Object payloadField(String path) {
        String p = path.startsWith("payload.") ? path.substring("payload.".length()) : path;
        Object cur = getPayload();
        for (String step : p.split("\\.")) {
            if (!(cur instanceof Map)) {
                return null;
            }
            cur = ((Map<String, Object>) cur).get(step);
        }
        return cur;
    }

    /**
     * The event's identity for de-duplication, computed once where the event is parsed (so the payload need not
     * travel further when no measure reads it): see {@link #identityHash()}.
     *
     * @return the identity hash, or 0 when not set
     */
    /** @return the record's position in its input (file line order), the tie-breaker for equal event times */
    public long getSeq() {
        return seq;
    }

    public void setSeq(long seq) {
        this.seq = seq;
    }
    /** @return the watermark this event arrived at or behind, or {@link Long#MIN_VALUE} when it was on time */
    public long getLateWatermark() {
        return lateWatermark;
    }

    public void setLateWatermark(long lateWatermark) {
        this.lateWatermark = lateWatermark;
    }
    /** @return whether the event arrived at or behind the watermark */
    public boolean isLate() {
        return lateWatermark != Long.MIN_VALUE;
    }

    /**
     * @return a copy without payload, keeping time, identity, sequence and lateness (for measures that read none)
     */
    public ProcessEvent withoutPayload() {
        ProcessEvent c = of(null, correlationId, eventType, timeMs, null);
        c.identity = identity;
        c.seq = seq;
        c.lateWatermark = lateWatermark;
        return c;
    }

    public long getIdentity() {
        return identity;
    }

    public void setIdentity(long identity) {
        this.identity = identity;
    }

    /**
     * A 64-bit FNV-1a hash of what makes two deliveries the same event: the EventBridge id when present, else event
     * type, time and payload (the correlation id is compared separately, as the de-duplication state is per
     * correlation id).
     *
     * <p>Shape: the hash of the UTF-16 chars of {@code "id:" + eventId}, else of {@code eventType + '\u0001' + timeMs +
     * '\u0001' + payload} with the payload's {@code toString} text ({@code {k=v, k2=[a, b]}}). The chars are hashed as
     * they are walked, without building that text, for the payloads the parsers build (hash maps, array lists,
     * strings, numbers, booleans and nulls); any other payload is hashed from its text. The value is stored in
     * de-duplication state, so it must never change: {@code ProcessEventIdentityTest} holds it to the text's hash.
     *
     * @return the hash (never 0 in practice; 0 means "not computed" in {@link #getIdentity()})
     */
    public long identityHash() {
        if (eventId != null) {
            return Fnv.chars(Fnv.chars(Fnv.OFFSET, "id:"), eventId);
        }
        long h = Fnv.chars(Fnv.OFFSET, String.valueOf(eventType));
        h = Fnv.chars(Fnv.ch(h, '\u0001'), Long.toString(timeMs));
        h = Fnv.ch(h, '\u0001');
        Map<String, Object> p = getPayload();
        long walked = Fnv.value(h, p);
        return walked != Fnv.UNWALKABLE ? walked : Fnv.chars(h, String.valueOf(p));
    }

    /** FNV-1a over UTF-16 chars, walking a payload's text without building it. */
    static final class Fnv {
        static final long OFFSET = 0xcbf29ce484222325L;
        private static final long PRIME = 0x100000001b3L;
        /** Returned by {@link #value} for a part it cannot walk (a real hash equals it with odds of 2^-64). */
        static final long UNWALKABLE = 0L;

        private Fnv() {}

        static long ch(long h, char c) {
            return (h ^ c) * PRIME;
        }

        static long chars(long h, String s) {
            for (int i = 0; i < s.length(); i++) {
                h = (h ^ s.charAt(i)) * PRIME;
            }
            return h;
        }

        /**
         * @return the hash after {@code String.valueOf(v)}'s chars, or {@link #UNWALKABLE} when {@code v} (or a part of
         *     it) is not a type whose text this walk reproduces
         */
        static long value(long h, Object v) {
            if (v instanceof String) {
                return chars(h, (String) v);
            }
            if (v == null
                    || v instanceof Long
                    || v instanceof Integer
                    || v instanceof Boolean
                    || v instanceof Double
                    || v instanceof java.math.BigDecimal
                    || v instanceof java.math.BigInteger) {
                return chars(h, String.valueOf(v));
            }
            Class<?> c = v.getClass();
            if (c == java.util.LinkedHashMap.class || c == java.util.HashMap.class || v == Collections.emptyMap()) {
                // AbstractMap#toString: {k=v, k2=v2}
                h = ch(h, '{');
                boolean first = true;
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    if (!first) {
                        h = ch(ch(h, ','), ' ');
                    }
                    first = false;
                    Object k = e.getKey();
                    Object val = e.getValue();
                    if (k == v || val == v) {
                        return UNWALKABLE; // "(this Map)": not from a parser
                    }
                    h = value(h, k);
                    if (h == UNWALKABLE) {
                        return UNWALKABLE;
                    }
                    h = value(ch(h, '='), val);
                    if (h == UNWALKABLE) {
                        return UNWALKABLE;
                    }
                }
                return ch(h, '}');
            }
            if (c == java.util.ArrayList.class) {
                // AbstractCollection#toString: [a, b]
                h = ch(h, '[');
                boolean first = true;
                for (Object o : (java.util.List<?>) v) {
                    if (!first) {
                        h = ch(ch(h, ','), ' ');
                    }
                    first = false;
                    if (o == v) {
                        return UNWALKABLE;
                    }
                    h = value(h, o);
                    if (h == UNWALKABLE) {
                        return UNWALKABLE;
                    }
                }
                return ch(h, ']');
            }
            return UNWALKABLE;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ProcessEvent)) return false;
        ProcessEvent that = (ProcessEvent) o;
        return timeMs == that.timeMs
                && Objects.equals(eventId, that.eventId)
                && Objects.equals(correlationId, that.correlationId)
                && Objects.equals(eventType, that.eventType)
                && Objects.equals(getPayload(), that.getPayload());
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, correlationId, eventType, timeMs, getPayload());
    }

    @Override
    public String toString() {
        return "ProcessEvent{" + correlationId + ", " + eventType + ", " + java.time.Instant.ofEpochMilli(timeMs)
                + (eventId == null ? "" : ", id=" + eventId) + ", payload=" + getPayload() + '}';
    }
}
