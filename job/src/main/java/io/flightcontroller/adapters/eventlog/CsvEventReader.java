package io.flightcontroller.adapters.eventlog;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a delimited event log with a header row into an {@link EventCollector}. The first record is the header;
 * short records are padded with empty values, extra values beyond the header are ignored; text after a closing
 * quote and an unterminated quote at end of file are tolerated, so data rows never make the parse fail.
 */
final class CsvEventReader {
    private CsvEventReader() {}

    /**
     * @param reader the text, BOM already removed; not closed
     * @param opts options (columns, delimiter)
     * @param sink receives the rows in file order
     * @throws IllegalArgumentException when the file has no header row or a configured column is missing; the
     *     message names the option and lists the available columns
     * @throws IOException when reading fails
     */
    static void read(Reader reader, EventLogOptions opts, EventCollector sink) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT
                .builder()
                .setDelimiter(opts.delimiter())
                .setIgnoreEmptyLines(true)
                .setTrailingData(true)
                .setLenientEof(true)
                .get();
        try {
            CSVParser parser = format.parse(reader);
            Iterator<CSVRecord> it = parser.iterator();
            List<String> header = new ArrayList<>();
            if (it.hasNext()) {
                for (String h : it.next()) {
                    header.add(h);
                }
            }
            int caseIdx = column(header, "caseColumn", opts.caseColumn());
            int activityIdx = column(header, "activityColumn", opts.activityColumn());
            int timeIdx = column(header, "timeColumn", opts.timeColumn());
            while (it.hasNext()) {
                CSVRecord r = it.next();
                Map<String, String> payload = new LinkedHashMap<>();
                int n = Math.min(r.size(), header.size());
                for (int i = 0; i < n; i++) {
                    if (i == caseIdx || i == activityIdx || i == timeIdx) {
                        continue;
                    }
                    String v = r.get(i);
                    if (v != null && !v.isEmpty()) {
                        payload.putIfAbsent(header.get(i), v);
                    }
                }
                sink.accept(value(r, caseIdx), value(r, activityIdx), value(r, timeIdx), payload);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String value(CSVRecord r, int idx) {
        return idx < r.size() ? r.get(idx) : null;
    }

    /** Exact name first, then the single header equal ignoring case and surrounding blanks. */
    private static int column(List<String> header, String option, String name) {
        int idx = header.indexOf(name);
        if (idx >= 0) {
            return idx;
        }
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        int found = -1;
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).trim().toLowerCase(Locale.ROOT).equals(wanted)) {
                if (found >= 0) {
                    found = -2;
                    break;
                }
                found = i;
            }
        }
        if (found >= 0) {
            return found;
        }
        throw new IllegalArgumentException(option + ": column '" + name + "' not found"
                + (found == -2 ? " (several columns match it ignoring case)" : "")
                + "; available columns: " + header);
    }
}
