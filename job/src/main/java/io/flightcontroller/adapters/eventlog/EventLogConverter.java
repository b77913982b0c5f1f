package io.flightcontroller.adapters.eventlog;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Converts a process-mining event log (CSV or XES, optionally gzipped) into JSON Lines of process events, merged
 * across all cases in event-time order.
 *
 * <p><b>Output</b>: UTF-8, one JSON object per line, each ended by {@code \n}:
 * <pre>{"correlation_id":"&lt;case id&gt;","event_type":"&lt;activity&gt;","time":"2010-03-31T15:59:42+01:00",
 *  "payload":{"&lt;column or attribute&gt;":"&lt;value as string&gt;", ...}}</pre>
 * {@code time} is ISO-8601 with the offset written in the file ({@code Z} for UTC); a timestamp without an offset is
 * read in {@link EventLogOptions#zone()} and written with that zone's offset at that instant. Seconds are always
 * written, fractions only when non-zero (3, 6 or 9 digits). {@code payload} holds every other non-empty CSV column
 * (header name as key) or XES attribute, in file order. Lines are sorted by instant, stably: events at the same
 * instant keep their order in the file. An output name ending in {@code .gz} is gzip-compressed.
 *
 * <p><b>Timestamps</b>: with no {@link EventLogOptions#timeFormat()}, accepted are {@code yyyy-MM-dd} or
 * {@code yyyy/MM/dd}, then {@code T} or a space, then {@code HH:mm[:ss[.f]]} with 1-9 fraction digits, then
 * optionally {@code Z}, {@code +HH:MM}, {@code +HHMM} or {@code +HH}. This covers ISO-8601 with offset or
 * {@code Z}, ISO local date-time, {@code yyyy/MM/dd HH:mm:ss[.SSS]} and {@code yyyy-MM-dd HH:mm:ss[.SSS]}. With
 * a custom pattern that pattern is used; if it carries no offset or zone, the zone option applies (a date-only
 * pattern gives start of day).
 *
 * <p><b>Bad data</b>: a row (CSV record or XES event) with a blank case id, activity or timestamp, or an
 * unparseable timestamp, is skipped and counted per reason in {@link ConversionStats}; it never makes the
 * conversion fail.
 *
 * <p><b>Memory</b>: all events are held until the end to sort them: per event its JSON line and instant (about the
 * size of the line). XES is streamed, holding one trace's attributes at a time besides the lines.
 */
public final class EventLogConverter {
    private static final int BUFFER = 1 << 16;

    private EventLogConverter() {}

    /**
     * Converts {@code input} into JSON Lines at {@code output} (created or replaced; missing parent directories are
     * created). Gzip input is detected by its magic bytes, whatever its name.
     *
     * @param input event log file: CSV with a header row (UTF-8, optional BOM) or XES; optionally gzipped
     * @param output JSON Lines file to write; gzipped when its name ends in {@code .gz}
     * @param opts options; see {@link EventLogOptions}
     * @return counts (distinct cases, events written, rows skipped per reason) and first/last event instant
     * @throws IllegalArgumentException when the format is not set and cannot be detected from the file name
     *     (message names {@code format}), or a configured CSV column is missing or the CSV has no header row
     *     (message names the option and lists the available columns)
     * @throws IOException when reading or writing fails, the gzip data is corrupt, or the XES is not well-formed XML
     * @throws NullPointerException when an argument is null
     */
    public static ConversionStats convert(Path input, Path output, EventLogOptions opts) throws IOException {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(opts, "opts");
        EventLogFormat format = opts.resolveFormat(input);
        EventCollector collector = new EventCollector(new TimestampParser(opts.zone(), opts.timeFormatter()));
        try (InputStream in = openMaybeGzipped(input)) {
            if (format == EventLogFormat.CSV) {
                CsvEventReader.read(withoutBom(new InputStreamReader(in, StandardCharsets.UTF_8)), opts, collector);
            } else {
                XesEventReader.read(in, opts, collector);
            }
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer out =
                new BufferedWriter(new OutputStreamWriter(openOutput(output), StandardCharsets.UTF_8), BUFFER)) {
            return collector.writeSorted(out, format);
        }
    }

    /** Opens a file, transparently gunzipping it when it starts with the gzip magic bytes 1f 8b. */
    static InputStream openMaybeGzipped(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            in.mark(2);
            int b1 = in.read();
            int b2 = in.read();
            in.reset();
            if (b1 == 0x1f && b2 == 0x8b) {
                return new GZIPInputStream(in, BUFFER);
            }
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static OutputStream openOutput(Path output) throws IOException {
        OutputStream out = Files.newOutputStream(output);
        if (output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
            try {
                return new GZIPOutputStream(out, BUFFER);
            } catch (IOException e) {
                out.close();
                throw e;
            }
        }
        return out;
    }

    /** Drops a leading U+FEFF byte order mark. */
    private static Reader withoutBom(Reader reader) throws IOException {
        PushbackReader r = new PushbackReader(reader, 1);
        int c = r.read();
        if (c != -1 && c != '\uFEFF') {
            r.unread(c);
        }
        return r;
    }
}
