package io.flightcontroller.adapters.eventlog;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Input format of a process-mining event log.
 *
 * <ul>
 *   <li>{@link #CSV}: delimited text with a header row, one event per row (RFC 4180 quoting).</li>
 *   <li>{@link #XES}: IEEE 1849 XES XML, {@code <log>} of {@code <trace>} of {@code <event>}.</li>
 * </ul>
 *
 * Either may be gzip-compressed.
 */
public enum EventLogFormat {
    /** Delimited text with a header row. File names {@code *.csv}, {@code *.csv.gz}. */
    CSV,
    /** IEEE XES XML. File names {@code *.xes}, {@code *.xes.gz}. */
    XES;

    /**
     * Detects the format from a file name, case-insensitively: {@code .csv} and {@code .csv.gz} give {@link #CSV},
     * {@code .xes} and {@code .xes.gz} give {@link #XES}.
     *
     * @param file a file path; only its last name element is looked at
     * @return the format, or empty when the name has none of these suffixes
     */
    public static Optional<EventLogFormat> fromFileName(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return Optional.empty();
        }
        String n = name.toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        if (n.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        if (n.endsWith(".xes")) {
            return Optional.of(XES);
        }
        return Optional.empty();
    }

    /**
     * Parses a format name as given on a command line.
     *
     * @param name {@code csv} or {@code xes}, any case, surrounding blanks ignored
     * @return the format
     * @throws IllegalArgumentException when the name is null or neither CSV nor XES; the message names the option
     *     {@code format}
     */
    public static EventLogFormat parse(String name) {
        if (name != null) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            for (EventLogFormat f : values()) {
                if (f.name().equals(n)) {
                    return f;
                }
            }
        }
        throw new IllegalArgumentException("format: expected CSV or XES, got '" + name + "'");
    }
}
