package io.flightcontroller.adapters.eventlog;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable options of {@link EventLogConverter}. Build with {@link #builder()}; {@link #defaults()} gives the
 * defaults below.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code format}</td><td>from the file name</td><td>{@link EventLogFormat#CSV} or {@link EventLogFormat#XES};
 *       when unset, detected from {@code .csv}, {@code .csv.gz}, {@code .xes}, {@code .xes.gz}</td></tr>
 *   <tr><td>{@code caseColumn}</td><td>{@code case:concept:name}</td><td>CSV column holding the case id. For XES the
 *       trace attribute with this key minus a leading {@code case:} (so {@code concept:name} by default)</td></tr>
 *   <tr><td>{@code activityColumn}</td><td>{@code concept:name}</td><td>CSV column / XES event attribute holding the
 *       activity</td></tr>
 *   <tr><td>{@code timeColumn}</td><td>{@code time:timestamp}</td><td>CSV column / XES event attribute holding the
 *       event time</td></tr>
 *   <tr><td>{@code delimiter}</td><td>{@code ','}</td><td>CSV field separator (ignored for XES)</td></tr>
 *   <tr><td>{@code zone}</td><td>UTC</td><td>zone for timestamps written without an offset (a wall-clock time
 *       in a daylight-saving gap moves forward by the gap; in an overlap the earlier offset is used)</td></tr>
 *   <tr><td>{@code timeFormat}</td><td>none</td><td>a {@link DateTimeFormatter} pattern (English month and day
 *       names); when unset, the default timestamp forms described in {@link EventLogConverter} are accepted</td></tr>
 * </table>
 */
public final class EventLogOptions {
    /** Default CSV case column, the pm4py name of the XES trace {@code concept:name}. */
    public static final String DEFAULT_CASE_COLUMN = "case:concept:name";
    /** Default activity column / XES event attribute. */
    public static final String DEFAULT_ACTIVITY_COLUMN = "concept:name";
    /** Default timestamp column / XES event attribute. */
    public static final String DEFAULT_TIME_COLUMN = "time:timestamp";

    private static final EventLogOptions DEFAULTS = builder().build();

    private final EventLogFormat format;
    private final String caseColumn;
    private final String activityColumn;
    private final String timeColumn;
    private final char delimiter;
    private final ZoneId zone;
    private final String timeFormat;
    private final DateTimeFormatter timeFormatter;

    private EventLogOptions(Builder b) {
        this.format = b.format;
        this.caseColumn = b.caseColumn;
        this.activityColumn = b.activityColumn;
        this.timeColumn = b.timeColumn;
        this.delimiter = b.delimiter;
        this.zone = b.zone;
        this.timeFormat = b.timeFormat;
        this.timeFormatter = b.timeFormatter;
    }

    /** @return a new builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the options with every default (format detected from the file name) */
    public static EventLogOptions defaults() {
        return DEFAULTS;
    }

    /** @return a new builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.format = format;
        b.caseColumn = caseColumn;
        b.activityColumn = activityColumn;
        b.timeColumn = timeColumn;
        b.delimiter = delimiter;
        b.zone = zone;
        b.timeFormat = timeFormat;
        b.timeFormatter = timeFormatter;
        return b;
    }

    /** @return the format set explicitly, or empty to detect it from the input file name */
    public Optional<EventLogFormat> format() {
        return Optional.ofNullable(format);
    }

    /**
     * Returns the explicit format, or the one detected from the input file name.
     *
     * @param input the input file
     * @return the format to read {@code input} with
     * @throws IllegalArgumentException when no format was set and the name ends in none of {@code .csv},
     *     {@code .csv.gz}, {@code .xes}, {@code .xes.gz}; the message names the option {@code format}
     */
    public EventLogFormat resolveFormat(Path input) {
        if (format != null) {
            return format;
        }
        return EventLogFormat.fromFileName(input)
                .orElseThrow(() -> new IllegalArgumentException(
                        "format: cannot detect the format from the file name '" + input.getFileName()
                                + "' (expected .csv, .csv.gz, .xes or .xes.gz); set format to CSV or XES"));
    }

    /** @return the CSV column holding the case id (XES: trace attribute key, see the class comment) */
    public String caseColumn() {
        return caseColumn;
    }

    /** @return the CSV column / XES event attribute holding the activity */
    public String activityColumn() {
        return activityColumn;
    }

    /** @return the CSV column / XES event attribute holding the event time */
    public String timeColumn() {
        return timeColumn;
    }

    /** @return the CSV field separator */
    public char delimiter() {
        return delimiter;
    }

    /** @return the zone applied to timestamps without an offset */
    public ZoneId zone() {
        return zone;
    }

    /** @return the custom timestamp pattern, or empty for the default forms */
    public Optional<String> timeFormat() {
        return Optional.ofNullable(timeFormat);
    }

    /** @return the compiled custom pattern (English locale), or null for the default forms */
    DateTimeFormatter timeFormatter() {
        return timeFormatter;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof EventLogOptions)) return false;
        EventLogOptions that = (EventLogOptions) o;
        return delimiter == that.delimiter
                && format == that.format
                && caseColumn.equals(that.caseColumn)
                && activityColumn.equals(that.activityColumn)
                && timeColumn.equals(that.timeColumn)
                && zone.equals(that.zone)
                && Objects.equals(timeFormat, that.timeFormat);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, caseColumn, activityColumn, timeColumn, delimiter, zone, timeFormat);
    }

    @Override
    public String toString() {
        return "EventLogOptions{format=" + (format == null ? "auto" : format) + ", caseColumn='" + caseColumn
                + "', activityColumn='" + activityColumn + "', timeColumn='" + timeColumn + "', delimiter='"
                + delimiter + "', zone=" + zone + (timeFormat == null ? "" : ", timeFormat='" + timeFormat + "'")
                + '}';
    }

    /**
     * Builder of {@link EventLogOptions}. Every setter validates its argument at once and throws
     * {@link IllegalArgumentException} whose message starts with the option name.
     */
    public static final class Builder {
        private EventLogFormat format;
        private String caseColumn = DEFAULT_CASE_COLUMN;
        private String activityColumn = DEFAULT_ACTIVITY_COLUMN;
        private String timeColumn = DEFAULT_TIME_COLUMN;
        private char delimiter = ',';
        private ZoneId zone = ZoneOffset.UTC;
        private String timeFormat;
        private DateTimeFormatter timeFormatter;

        private Builder() {}

        /**
         * @param format the input format, or null to detect it from the input file name
         * @return this builder
         */
        public Builder format(EventLogFormat format) {
            this.format = format;
            return this;
        }

        /**
         * @param format {@code csv} or {@code xes} (any case), or null/blank to detect it from the file name
         * @return this builder
         * @throws IllegalArgumentException ("format: ...") for any other name
         */
        public Builder format(String format) {
            this.format = format == null || format.trim().isEmpty() ? null : EventLogFormat.parse(format);
            return this;
        }

        /**
         * @param column the case id column, not blank
         * @return this builder
         * @throws IllegalArgumentException ("caseColumn: ...") when null or blank
         */
        public Builder caseColumn(String column) {
            this.caseColumn = requireColumn("caseColumn", column);
            return this;
        }

        /**
         * @param column the activity column, not blank
         * @return this builder
         * @throws IllegalArgumentException ("activityColumn: ...") when null or blank
         */
        public Builder activityColumn(String column) {
            this.activityColumn = requireColumn("activityColumn", column);
            return this;
        }

        /**
         * @param column the timestamp column, not blank
         * @return this builder
         * @throws IllegalArgumentException ("timeColumn: ...") when null or blank
         */
        public Builder timeColumn(String column) {
            this.timeColumn = requireColumn("timeColumn", column);
            return this;
        }

        /**
         * @param delimiter the CSV field separator; not a double quote, CR or LF
         * @return this builder
         * @throws IllegalArgumentException ("delimiter: ...") for a double quote, CR or LF
         */
        public Builder delimiter(char delimiter) {
            if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
                throw new IllegalArgumentException(
                        "delimiter: must not be a double quote or a line break, got '" + delimiter + "'");
            }
            this.delimiter = delimiter;
            return this;
        }

        /**
         * @param zone the zone for timestamps without an offset, not null
         * @return this builder
         * @throws IllegalArgumentException ("zone: ...") when null
         */
        public Builder zone(ZoneId zone) {
            if (zone == null) {
                throw new IllegalArgumentException("zone: must not be null");
            }
            this.zone = zone;
            return this;
        }

        /**
         * @param zone a zone id such as {@code UTC}, {@code Europe/Amsterdam} or {@code +01:00}
         * @return this builder
         * @throws IllegalArgumentException ("zone: ...") when null or not a valid zone id
         */
        public Builder zone(String zone) {
            if (zone == null) {
                throw new IllegalArgumentException("zone: must not be null");
            }
            try {
                this.zone = ZoneId.of(zone.trim());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("zone: invalid zone id '" + zone + "': " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * @param pattern a {@link DateTimeFormatter} pattern such as {@code dd.MM.yyyy HH:mm}, or null/blank for
         *     the default timestamp forms
         * @return this builder
         * @throws IllegalArgumentException ("timeFormat: ...") when the pattern is invalid
         */
        public Builder timeFormat(String pattern) {
            if (pattern == null || pattern.trim().isEmpty()) {
                this.timeFormat = null;
                this.timeFormatter = null;
                return this;
            }
            try {
                this.timeFormatter = DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "timeFormat: invalid pattern '" + pattern + "': " + e.getMessage(), e);
            }
            this.timeFormat = pattern;
            return this;
        }

        /** @return the options */
        public EventLogOptions build() {
            return new EventLogOptions(this);
        }

        private static String requireColumn(String option, String column) {
            if (column == null || column.trim().isEmpty()) {
                throw new IllegalArgumentException(option + ": must not be blank");
            }
            return column;
        }
    }
}
