package io.flightcontroller.adapters.parse;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.EventTimes;
import io.flightcontroller.domain.event.FrozenPayload;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.event.ProcessEvent;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one raw record (a JSON text) into a {@link ProcessEvent}, or into a {@link DeadLetter} with the reason.
 * Never throws for bad input. Every result carries the record as received ({@link ParsedRecord#getRaw()}).
 *
 * <p>Recognition, in this order, on the top-level fields of the JSON object:
 * <ol>
 * <li>a <b>flat event</b>: it has {@code correlation_id} (or {@code aggregate_id}), {@code event_type} and
 * {@code time}, whatever other fields it has (its own {@code source} or {@code detail} are just fields);</li>
 * <li>a <b>dead letter</b> as the job writes it (JSON Lines dead-letter file: string {@code stage} and {@code reason}
 * and one of {@code raw}, {@code raw_base64}, {@code dead_letter_id}): it is <b>re-driven</b>, its original record is
 * parsed instead (the bytes of {@code raw_base64} when present, else {@code raw}), so
 * {@code run --input dead-letters.jsonl} replays the records after a fix. Refused as {@code not_redrivable}: a raw
 * capped when it was written ({@link DeadLetter#isTruncated}), a dead letter of a {@code sink:*} stage (its raw is an
 * output record) or one without a raw. Dead letters nested in dead letters are unwrapped up to
 * {@value #MAX_REDRIVE_DEPTH} levels;</li>
 * <li>an Amazon EventBridge <b>envelope</b> ({@code version, id, detail-type, source, account, time, region,
 * resources, detail}): it has {@code detail-type}, {@code source} or {@code version} and at least one other envelope
 * field. Its {@code detail} (a JSON object or a JSON string holding one) holds the event fields; without a
 * {@code detail} it is {@code missing_detail}. The envelope's {@code id} becomes the event id used for
 * de-duplication, its {@code detail-type} the fallback event type, its {@code time} is ignored;</li>
 * <li>anything else is read as a flat event with missing fields ({@code missing_correlation_id}, ...).</li>
 * </ol>
 *
 * <p>Event fields: {@code correlation_id} (or {@code aggregate_id}, the older name; string or number),
 * {@code event_type}, {@code time} (see {@link EventTimes}) and an optional {@code payload} (an object; another JSON
 * value is kept as {@code {"value": ...}}).
 *
 * <p>Strictness: bytes that are not valid UTF-8 are {@code bad_encoding} (never decoded with replacement characters);
 * the dead letter's {@code raw} shows valid text as is, each invalid byte as {@code \xHH} and a backslash as
 * {@code \\} (so two different records never share one rendering) and {@code rawBase64} keeps the exact bytes. A key
 * repeated in one object at any level (also inside a {@code detail} string) is {@code duplicate_key}, naming the key
 * and its JSON pointer. A time outside {@link EventTimes#RANGE} is {@code bad_time}.
 *
 * <p>Future-time guard: given the record's arrival time ({@link #parse(byte[], long)}), an event time later than
 * arrival + {@code maxFutureSkew} is {@code future_time} (default {@link #DEFAULT_MAX_FUTURE_SKEW}, 15 minutes, the
 * limit Amazon Timestream puts on points in the future; null disables the guard). The one-argument {@code parse}
 * methods do not know the arrival and do not check.
 *
 * <p>Limits: records longer than {@code maxRecordBytes} UTF-8 bytes are rejected as {@code oversized} (default 262,144
 * bytes, the EventBridge PutEvents entry limit of 256 KB).
 *
 * <p>Cost: a record that becomes an event with string ids is read in one streaming pass ({@link FastEventReader}: no
 * JSON tree, no re-serialization of the payload, the common time forms read by hand in {@link EventTimes}); every other
 * record (any dead letter, a re-driven one, a number as correlation id, ...) is read by the tree-based code, which
 * says why. Both give the same result field by field ({@code EventParserFastPathTest} compares them).
 */
public final class EventParser implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Default maximum record size in bytes: 256 KiB, the EventBridge PutEvents entry size limit. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 256 * 1024;

    /**
     * Default largest accepted lead of an event's time over its arrival: 15 minutes, the limit Amazon Timestream for
     * LiveAnalytics puts on records with a time in the future ("Future ingestion period in minutes", 15, in its service
     * limits: https://docs.aws.amazon.com/timestream/latest/developerguide/ts-limits.html).
     */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(15);

    /** The {@code arrivalMs} meaning "arrival time unknown": no future-time check. */
    public static final long ARRIVAL_UNKNOWN = Long.MIN_VALUE;

    /** How many dead letters nested in dead letters are unwrapped when re-driving. */
    public static final int MAX_REDRIVE_DEPTH = 4;

    private static final String STAGE = "parse";
    private static final String SINK_STAGE_PREFIX = "sink:";
    private static final String DUPLICATE_FIELD = "Duplicate field '";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final int maxRecordBytes;
    private final Duration maxFutureSkew;
    private final long maxFutureSkewMs;
    private final boolean treeOnly;
    private transient ObjectMapper mapper;
    private transient FastEventReader fast;

    /** A parser with {@link #DEFAULT_MAX_RECORD_BYTES} and {@link #DEFAULT_MAX_FUTURE_SKEW}. */
    public EventParser() {
        this(DEFAULT_MAX_RECORD_BYTES);
    }

    /**
     * A parser with {@link #DEFAULT_MAX_FUTURE_SKEW}.
     *
     * @param maxRecordBytes maximum accepted record size in UTF-8 bytes, &gt; 0
     * @throws IllegalArgumentException when not positive
     */
    public EventParser(int maxRecordBytes) {
        this(maxRecordBytes, DEFAULT_MAX_FUTURE_SKEW);
    }

    /**
     * @param maxRecordBytes maximum accepted record size in UTF-8 bytes, &gt; 0
     * @param maxFutureSkew largest accepted lead of event time over arrival time, &gt;= 0; null disables the check
     * @throws IllegalArgumentException when {@code maxRecordBytes} is not positive or the skew is negative
     */
    public EventParser(int maxRecordBytes, Duration maxFutureSkew) {
        this(maxRecordBytes, maxFutureSkew, false);
    }

    /** @param treeOnly true: never the streaming fast path ({@link FastEventReader}), for tests comparing the two */
    EventParser(int maxRecordBytes, Duration maxFutureSkew, boolean treeOnly) {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be > 0, was " + maxRecordBytes);
        }
        if (maxFutureSkew != null && maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("maxFutureSkew must be >= 0 (or null to disable), was " + maxFutureSkew);
        }
        this.maxRecordBytes = maxRecordBytes;
        this.maxFutureSkew = maxFutureSkew;
        long skewMs;
        try {
            skewMs = maxFutureSkew == null ? Long.MAX_VALUE : maxFutureSkew.toMillis();
        } catch (ArithmeticException e) {
            skewMs = Long.MAX_VALUE; // longer than 292 million years: never refuses
        }
        this.maxFutureSkewMs = skewMs;
        this.treeOnly = treeOnly;
    }

    /**
     * @param skew largest accepted lead of event time over arrival time, &gt;= 0; null disables the check
     * @return a copy of this parser with that skew
     */
    public EventParser withMaxFutureSkew(Duration skew) {
        return new EventParser(maxRecordBytes, skew, treeOnly);
    }

    /** @return the future-time skew, or null when the check is disabled */
    public Duration getMaxFutureSkew() {
        return maxFutureSkew;
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = new ObjectMapper()
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        }
        return mapper;
    }

    private FastEventReader fast() {
        if (fast == null) {
            fast = new FastEventReader();
        }
        return fast;
    }

    /**
     * Parses UTF-8 bytes (for example a Kinesis record) whose arrival time is unknown (no future-time check).
     *
     * @param bytes the record
     * @return an event or a dead letter
     */
    public ParsedRecord parse(byte[] bytes) {
        return parse(bytes, ARRIVAL_UNKNOWN);
    }

    /**
     * Parses one record whose arrival time is unknown (no future-time check).
     *
     * @param raw the record text
     * @return an event or a dead letter; never null
     */
    public ParsedRecord parse(String raw) {
        return parse(raw, ARRIVAL_UNKNOWN);
    }

    /**
     * Parses UTF-8 bytes that arrived at {@code arrivalMs}.
     *
     * @param bytes the record
     * @param arrivalMs arrival time in epoch ms, or {@link #ARRIVAL_UNKNOWN}
     * @return an event or a dead letter; never null
     */
    public ParsedRecord parse(byte[] bytes, long arrivalMs) {
        return parse(bytes, 0, bytes.length, arrivalMs);
    }

    /**
     * Parses UTF-8 bytes {@code bytes[offset, offset + length)} that arrived at {@code arrivalMs} (a reader's buffer
     * need not be copied; the bytes are not kept).
     *
     * @param bytes buffer holding the record
     * @param offset where the record starts
     * @param length the record's length in bytes
     * @param arrivalMs arrival time in epoch ms, or {@link #ARRIVAL_UNKNOWN}
     * @return an event or a dead letter; never null
     */
    public ParsedRecord parse(byte[] bytes, int offset, int length, long arrivalMs) {
        return parseBytes(bytes, offset, length, arrivalMs, 0);
    }

    /**
     * Parses one record that arrived at {@code arrivalMs}.
     *
     * @param raw the record text
     * @param arrivalMs arrival time in epoch ms, or {@link #ARRIVAL_UNKNOWN}
     * @return an event or a dead letter; never null
     */
    public ParsedRecord parse(String raw, long arrivalMs) {
        return parseString(raw, arrivalMs, 0);
    }

    /**
     * The event time of a record, as {@code parse(bytes, offset, length, ARRIVAL_UNKNOWN).eventTimeOrMin()} gives it,
     * without building the event's payload when the record is a plain event (the common case); every other record
     * is parsed in full.
     *
     * @param bytes buffer holding the record (UTF-8)
     * @param offset where the record starts
     * @param length the record's length in bytes
     * @return event time in epoch ms, or {@link Long#MIN_VALUE} when the record is a dead letter
     */
    public long eventTimeOrMin(byte[] bytes, int offset, int length) {
        if (!treeOnly && length <= maxRecordBytes) {
            String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
            if (text.indexOf('\uFFFD') < 0) {
                long t = fast().eventTime(text);
                if (t != FastEventReader.NO_TIME) {
                    return t;
                }
            }
        }
        return parse(bytes, offset, length, ARRIVAL_UNKNOWN).eventTimeOrMin();
    }

    private ParsedRecord parseBytes(byte[] b, int off, int len, long arrivalMs, int depth) {
        if (len > maxRecordBytes) {
            return oversized(b, off, len);
        }
        String text = new String(b, off, len, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) { // a replacement character: either in the input or a malformed sequence
            int[] firstBad = {-1};
            String rendered = render(b, off, len, firstBad);
            if (firstBad[0] >= 0) {
                DeadLetter d = DeadLetter.of(
                                STAGE,
                                DeadLetter.REASON_BAD_ENCODING,
                                "not valid UTF-8: byte 0x"
                                        + hex(b[off + firstBad[0]]) + " at offset " + firstBad[0]
                                        + " (raw shows invalid bytes as \\xHH"
                                        + " and a backslash as \\\\; raw_base64 holds the exact bytes)",
                                rendered)
                        .withRawBytes(b, off, len);
                return ParsedRecord.ofDeadLetter(d, d.getRaw());
            }
        }
        return parseText(text, arrivalMs, depth);
    }

    /** An oversized byte record: the raw keeps its first bytes, cut at a character boundary and marked. */
    private ParsedRecord oversized(byte[] b, int off, int len) {
        int cut = Math.min(len, DeadLetter.MAX_RAW_CHARS);
        for (int back = 0; back < 3 && cut < len && cut > 0 && (b[off + cut] & 0xC0) == 0x80; back++) {
            cut--; // do not split a character
        }
        int[] firstBad = {-1};
        String prefix = render(b, off, cut, firstBad);
        if (firstBad[0] < 0) {
            prefix = new String(b, off, cut, StandardCharsets.UTF_8);
        }
        String raw = prefix + (cut < len ? DeadLetter.truncationMark(len, "bytes") : "");
        DeadLetter d = DeadLetter.of(
                STAGE, DeadLetter.REASON_OVERSIZED, "record is " + len + " bytes, limit " + maxRecordBytes, null);
        d.setRaw(raw);
        if (firstBad[0] >= 0) {
            d.withRawBytes(b, off, len);
        }
        return ParsedRecord.ofDeadLetter(d, raw);
    }

    private ParsedRecord parseString(String raw, long arrivalMs, int depth) {
        if (raw.length() > maxRecordBytes || (raw.length() > maxRecordBytes / 3 && utf8Length(raw) > maxRecordBytes)) {
            return dead(DeadLetter.REASON_OVERSIZED, "record is longer than " + maxRecordBytes + " bytes", raw);
        }
        return parseText(raw, arrivalMs, depth);
    }

    private ParsedRecord parseText(String raw, long arrivalMs, int depth) {
        if (!treeOnly) {
            ProcessEvent e = fast().event(raw, maxFutureSkew == null ? ARRIVAL_UNKNOWN : arrivalMs, maxFutureSkewMs);
            if (e != null) {
                return ParsedRecord.ofEvent(e, raw);
            }
        }
        JsonNode root;
        try {
            root = mapper().readTree(raw);
        } catch (JsonEOFException e) {
            return dead(DeadLetter.REASON_TRUNCATED_JSON, "JSON ends early: " + firstLine(e), raw);
        } catch (JsonParseException e) {
            String dup = duplicateKey(e, "");
            return dup != null
                    ? dead(DeadLetter.REASON_DUPLICATE_KEY, dup, raw)
                    : dead(DeadLetter.REASON_NOT_JSON, "not JSON: " + firstLine(e), raw);
        } catch (IOException e) {
            return dead(DeadLetter.REASON_NOT_JSON, "not JSON: " + firstLine(e), raw);
        }
        if (root == null || root.isMissingNode()) {
            return dead(DeadLetter.REASON_NOT_JSON, "empty record", raw);
        }
        if (!root.isObject()) {
            return dead(DeadLetter.REASON_NOT_AN_OBJECT, "expected a JSON object, got " + root.getNodeType(), raw);
        }
        if (isFlatEvent(root)) {
            return event(root, null, null, raw, arrivalMs);
        }
        if (isDeadLetter(root)) {
            return redrive(root, raw, arrivalMs, depth);
        }
        if (!isEnvelope(root)) {
            return event(root, null, null, raw, arrivalMs); // says which event field is missing
        }
        JsonNode detail = root.get("detail");
        if (detail == null || detail.isNull()) {
            return dead(
                    DeadLetter.REASON_MISSING_DETAIL, "envelope (detail-type, source or version) has no detail", raw);
        }
        if (detail.isTextual()) {
            try {
                detail = mapper().readTree(detail.asText());
            } catch (JsonEOFException e) {
                return dead(DeadLetter.REASON_TRUNCATED_JSON, "detail string ends early: " + firstLine(e), raw);
            } catch (JsonParseException e) {
                String dup = duplicateKey(e, "/detail");
                return dup != null
                        ? dead(DeadLetter.REASON_DUPLICATE_KEY, dup + " (inside the detail string)", raw)
                        : dead(DeadLetter.REASON_NOT_JSON, "detail string is not JSON: " + firstLine(e), raw);
            } catch (IOException e) {
                return dead(DeadLetter.REASON_NOT_JSON, "detail string is not JSON: " + firstLine(e), raw);
            }
        }
        if (detail == null || !detail.isObject()) {
            return dead(DeadLetter.REASON_NOT_AN_OBJECT, "envelope detail is not a JSON object", raw);
        }
        return event(detail, text(root.get("id")), text(root.get("detail-type")), raw, arrivalMs);
    }

    private static boolean isFlatEvent(JsonNode o) {
        return (o.hasNonNull("correlation_id") || o.hasNonNull("aggregate_id"))
                && o.hasNonNull("event_type")
                && o.hasNonNull("time");
    }

    private static final String[] ENVELOPE_FIELDS = {
        "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"
    };

    private static boolean isEnvelope(JsonNode o) {
        if (!(o.has("detail-type") || o.has("source") || o.has("version"))) {
            return false;
        }
        int n = 0;
        for (String f : ENVELOPE_FIELDS) {
            if (o.has(f)) {
                n++;
            }
        }
        return n >= 2;
    }

    private static boolean isDeadLetter(JsonNode o) {
        return isText(o.get("stage"))
                && isText(o.get("reason"))
                && (isText(o.get("raw")) || isText(o.get("raw_base64")) || isText(o.get("dead_letter_id")));
    }

    private static boolean isText(JsonNode n) {
        return n != null && n.isTextual();
    }

    private ParsedRecord redrive(JsonNode deadLetter, String line, long arrivalMs, int depth) {
        String what = "dead letter (stage " + deadLetter.get("stage").asText() + ", reason "
                + deadLetter.get("reason").asText() + ")";
        if (deadLetter.get("stage").asText().startsWith(SINK_STAGE_PREFIX)) {
            return dead(DeadLetter.REASON_NOT_REDRIVABLE, what + " holds an output record, not an input record", line);
        }
        if (depth >= MAX_REDRIVE_DEPTH) {
            return dead(
                    DeadLetter.REASON_NOT_REDRIVABLE,
                    what + " is nested more than " + MAX_REDRIVE_DEPTH + " dead letters deep",
                    line);
        }
        JsonNode base64 = deadLetter.get("raw_base64");
        if (isText(base64)) {
            if (DeadLetter.isTruncated(base64.asText())) {
                return dead(
                        DeadLetter.REASON_NOT_REDRIVABLE,
                        what + ": raw_base64 was capped at " + DeadLetter.MAX_RAW_CHARS
                                + " bytes when written; the original record is not available",
                        line);
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(base64.asText());
            } catch (IllegalArgumentException e) {
                return dead(
                        DeadLetter.REASON_NOT_REDRIVABLE, what + ": raw_base64 is not Base64: " + e.getMessage(), line);
            }
            return parseBytes(bytes, 0, bytes.length, arrivalMs, depth + 1);
        }
        JsonNode raw = deadLetter.get("raw");
        if (!isText(raw)) {
            return dead(DeadLetter.REASON_NOT_REDRIVABLE, what + " has no raw record", line);
        }
        if (DeadLetter.isTruncated(raw.asText())) {
            return dead(
                    DeadLetter.REASON_NOT_REDRIVABLE,
                    what + ": raw was capped at " + DeadLetter.MAX_RAW_CHARS
                            + " characters when written; the original record is not available",
                    line);
        }
        return parseString(raw.asText(), arrivalMs, depth + 1);
    }

    private ParsedRecord event(JsonNode detail, String eventId, String detailType, String raw, long arrivalMs) {
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
        if (!EventTimes.inRange(timeMs)) {
            return dead(
                    DeadLetter.REASON_BAD_TIME,
                    "time " + timeNode + " is " + EventTimes.iso(timeMs) + ", outside the accepted range "
                            + EventTimes.RANGE,
                    raw,
                    correlationId,
                    null);
        }
        if (arrivalMs != ARRIVAL_UNKNOWN && maxFutureSkew != null && timeMs - maxFutureSkewMs > arrivalMs) {
            return dead(
                    DeadLetter.REASON_FUTURE_TIME,
                    "event time " + EventTimes.iso(timeMs) + " is more than "
                            + maxFutureSkew + " after the arrival time " + EventTimes.iso(arrivalMs) + " (by "
                            + Duration.ofMillis(timeMs - arrivalMs) + ")",
                    raw,
                    correlationId,
                    timeMs);
        }
        // frozen, as FastEventReader's: the copies Flink makes between the source's chained operators share it
        Map<String, Object> payload = FrozenPayload.freeze(payload(detail));
        return ParsedRecord.ofEvent(ProcessEvent.of(eventId, correlationId, eventType, timeMs, payload), raw);
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

    /** @return "duplicate key 'k' at /json/pointer" when the exception is Jackson's duplicate detection, else null */
    private static String duplicateKey(JsonParseException e, String pointerPrefix) {
        String m = e.getOriginalMessage();
        if (m == null || !m.startsWith(DUPLICATE_FIELD)) {
            return null;
        }
        int end = m.indexOf('\'', DUPLICATE_FIELD.length());
        String key = end > 0 ? m.substring(DUPLICATE_FIELD.length(), end) : m;
        String at = "";
        if (e.getProcessor() != null && e.getProcessor().getParsingContext() != null) {
            at = " at " + pointerPrefix + e.getProcessor().getParsingContext().pathAsPointer();
        }
        return "duplicate key '" + key + "'" + at;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Renders bytes as text without losing any: valid UTF-8 as is, each invalid byte as {@code \xHH}, a backslash as
     * {@code \\}.
     *
     * @param firstBad when not null, receives the offset of the first invalid byte (relative to {@code off}), or -1
     */
    private static String render(byte[] b, int off, int len, int[] firstBad) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, off, len);
        CharBuffer out = CharBuffer.allocate(Math.max(16, len));
        StringBuilder sb = new StringBuilder(len + 16);
        if (firstBad != null) {
            firstBad[0] = -1;
        }
        while (in.hasRemaining()) {
            CoderResult r = decoder.decode(in, out, true);
            out.flip();
            while (out.hasRemaining()) {
                char c = out.get();
                sb.append(c);
                if (c == '\\') {
                    sb.append('\\');
                }
            }
            out.clear();
            if (r.isError()) {
                if (firstBad != null && firstBad[0] < 0) {
                    firstBad[0] = in.position() - off;
                }
                for (int i = 0; i < r.length(); i++) {
                    byte x = in.get();
                    sb.append("\\x").append(HEX[(x >> 4) & 0xF]).append(HEX[x & 0xF]);
                }
            } else if (r.isUnderflow()) {
                break;
            }
        }
        return sb.toString();
    }

    private static String hex(byte x) {
        return new String(new char[] {HEX[(x >> 4) & 0xF], HEX[x & 0xF]});
    }

    private static ParsedRecord dead(String reason, String detail, String raw) {
        DeadLetter d = DeadLetter.of(STAGE, reason, detail, raw);
        return ParsedRecord.ofDeadLetter(d, d.getRaw());
    }

    private static ParsedRecord dead(String reason, String detail, String raw, String correlationId, Long time) {
        DeadLetter d = DeadLetter.of(STAGE, reason, detail, raw).withEvent(correlationId, time);
        return ParsedRecord.ofDeadLetter(d, d.getRaw());
    }
}
