package io.flightcontroller.adapters.eventlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Receives parsed rows in file order, validates them, serializes each accepted one to its JSON line at once and
 * keeps only that line plus its instant; {@link #writeSorted} then writes all lines merged in event-time order,
 * stable (ties keep file order). Not thread-safe.
 */
final class EventCollector {
    /** Does not close the shared in-memory buffer when a generator is closed. */
    private static final JsonFactory JSON =
            JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private final TimestampParser timestamps;
    private final List<Line> lines = new ArrayList<>();
    private final Set<String> cases = new HashSet<>();
    private final Map<String, Long> skipped = new HashMap<>();
    private final StringWriter buffer = new StringWriter(256);

    EventCollector(TimestampParser timestamps) {
        this.timestamps = timestamps;
    }

    /**
     * Accepts one row, or counts it as skipped.
     *
     * @param caseId case id, may be null or blank (then skipped)
     * @param activity activity, may be null or blank (then skipped)
     * @param time timestamp text, may be null or blank (then skipped)
     * @param payload other fields in file order, empty values already left out
     * @throws IOException never in practice (JSON goes to memory)
     */
    void accept(String caseId, String activity, String time, Map<String, String> payload) throws IOException {
        if (isBlank(caseId)) {
            skip(ConversionStats.REASON_MISSING_CASE);
            return;
        }
        if (isBlank(activity)) {
            skip(ConversionStats.REASON_MISSING_ACTIVITY);
            return;
        }
        if (isBlank(time)) {
            skip(ConversionStats.REASON_MISSING_TIME);
            return;
        }
        OffsetDateTime at;
        try {
            at = timestamps.parse(time);
        } catch (DateTimeException e) {
            skip(ConversionStats.REASON_BAD_TIME);
            return;
        }
        buffer.getBuffer().setLength(0);
        try (JsonGenerator g = JSON.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeStringField("correlation_id", caseId);
            g.writeStringField("event_type", activity);
            g.writeStringField("time", TimestampParser.format(at));
            g.writeObjectFieldStart("payload");
            for (Map.Entry<String, String> e : payload.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        Instant instant = at.toInstant();
        lines.add(new Line(instant.getEpochSecond(), instant.getNano(), buffer.toString()));
        cases.add(caseId);
    }

    /** @param reason a {@code ConversionStats.REASON_*} constant */
    void skip(String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    /**
     * Sorts by instant (stable) and writes one line per event, each ended by {@code \n}; then forgets the lines.
     *
     * @param out destination, not closed
     * @param format the format that was read, for the stats
     * @return the stats
     * @throws IOException when writing fails
     */
    ConversionStats writeSorted(Writer out, EventLogFormat format) throws IOException {
        // List.sort is a stable merge sort: equal instants keep the order in which rows were accepted (file order).
        lines.sort((a, b) -> a.epochSecond != b.epochSecond
                ? Long.compare(a.epochSecond, b.epochSecond)
                : Integer.compare(a.nano, b.nano));
        for (Line l : lines) {
            out.write(l.json);
            out.write('\n');
        }
        Instant first = lines.isEmpty() ? null : lines.get(0).instant();
        Instant last = lines.isEmpty() ? null : lines.get(lines.size() - 1).instant();
        ConversionStats stats = new ConversionStats(format, cases.size(), lines.size(), skipped, first, last);
        lines.clear();
        return stats;
    }

    private static boolean isBlank(String s) {
        return s == null || s.trim().isEmpty();
    }

    /** One written event: its instant and its JSON text. */
    private static final class Line {
        final long epochSecond;
        final int nano;
        final String json;

        Line(long epochSecond, int nano, String json) {
            this.epochSecond = epochSecond;
            this.nano = nano;
            this.json = json;
        }

        Instant instant() {
            return Instant.ofEpochSecond(epochSecond, nano);
        }
    }
}
