package io.flightcontroller.adapters.eventlog;

import static io.flightcontroller.adapters.eventlog.EventLogTestSupport.readLines;
import static io.flightcontroller.adapters.eventlog.EventLogTestSupport.sharedData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the real public logs in {@code ../shared/data/} (read in place, never copied) and checks the figures of
 * {@code shared/data/README.md}. The expected global order is computed independently of the converter: in both
 * logs every timestamp has the same fixed-width form and offset, so a stable sort of the raw rows by their
 * timestamp text is the stable sort by instant.
 */
class EventLogReplayDataTest {
    @TempDir
    Path tmp;

    @Test
    void bpic2013IncidentsVolvo() throws IOException {
        Path in = sharedData("bpic2013_incidents_volvo_ibm.csv.gz");
        Path out = tmp.resolve("bpic2013.jsonl");

        ConversionStats stats = EventLogConverter.convert(
                in,
                out,
                EventLogOptions.builder()
                        .caseColumn("SR Number")
                        .activityColumn("Activity")
                        .timeColumn("Change Date+Time")
                        .build());

        assertThat(stats.cases()).isEqualTo(7_554);
        assertThat(stats.eventsWritten()).isEqualTo(65_533);
        assertThat(stats.rowsSkipped()).isZero();
        List<JsonNode> lines = readLines(out);
        assertThat(lines).hasSize(65_533);
        assertMatchesStableSortOfRawRows(
                lines,
                readRaw(
                        in,
                        ',',
                        "SR Number",
                        "Activity",
                        "Change Date+Time",
                        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+01:00"),
                UnaryOperator.identity());
        assertThat(distinct(lines, "event_type")).hasSize(13);
        assertThat(lines.get(0).get("payload").get("Status")).isNotNull();
        assertThat(lines.get(0).get("payload").has("SR Number")).isFalse();
        assertTimeOrdered(lines, stats);
        // README reference: Queued-Awaiting Assignment -> Accepted-In Progress: n=4,487, median 1,672 s
        List<Long> leads = leadsSeconds(lines, "Queued-Awaiting Assignment", "Accepted-In Progress");
        assertThat(leads).hasSize(4_487);
        assertThat(leads.get(leads.size() / 2)).isEqualTo(1_672L);
    }

    @Test
    void sepsisCases() throws IOException {
        Path in = sharedData("sepsis_cases_eventdataR.csv");
        Path out = tmp.resolve("sepsis.jsonl");

        ConversionStats stats = EventLogConverter.convert(
                in,
                out,
                EventLogOptions.builder()
                        .delimiter(';')
                        .caseColumn("Case ID")
                        .activityColumn("Activity")
                        .timeColumn("Complete Timestamp")
                        .build());

        assertThat(stats.cases()).isEqualTo(1_050);
        assertThat(stats.eventsWritten()).isEqualTo(15_214);
        assertThat(stats.rowsSkipped()).isZero();
        List<JsonNode> lines = readLines(out);
        assertThat(lines).hasSize(15_214);
        // no zone in the file: read as UTC, written with Z
        assertMatchesStableSortOfRawRows(
                lines,
                readRaw(
                        in,
                        ';',
                        "Case ID",
                        "Activity",
                        "Complete Timestamp",
                        "\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}"),
                raw -> raw.replace('/', '-').replace(' ', 'T').replace(".000", "") + "Z");
        assertThat(distinct(lines, "event_type")).hasSize(16);
        assertTimeOrdered(lines, stats);
        // README reference: ER Registration -> IV Antibiotics: n=821, median 6,849 s
        List<Long> leads = leadsSeconds(lines, "ER Registration", "IV Antibiotics");
        assertThat(leads).hasSize(821);
        assertThat(leads.get(leads.size() / 2)).isEqualTo(6_849L);
    }

    /** Raw rows (case, activity, time text) in file order; checks every time has the given form. */
    private static List<String[]> readRaw(
            Path file, char delimiter, String caseCol, String activityCol, String timeCol, String timeRegex)
            throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.DEFAULT
                        .builder()
                        .setDelimiter(delimiter)
                        .get()
                        .parse(reader)) {
            List<String> header = null;
            for (CSVRecord r : parser) {
                if (header == null) {
                    header = new ArrayList<>();
                    for (String h : r) {
                        header.add(h.replace("\uFEFF", ""));
                    }
                    continue;
                }
                String[] row = {
                    r.get(header.indexOf(caseCol)), r.get(header.indexOf(activityCol)), r.get(header.indexOf(timeCol))
                };
                assertThat(row[2]).matches(timeRegex);
                rows.add(row);
            }
        }
        return rows;
    }

    private static void assertMatchesStableSortOfRawRows(
            List<JsonNode> lines, List<String[]> raw, UnaryOperator<String> expectedTime) {
        List<String[]> expected = new ArrayList<>(raw);
        expected.sort((a, b) -> a[2].compareTo(b[2])); // stable
        assertThat(lines).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            String[] e = expected.get(i);
            JsonNode n = lines.get(i);
            String actual = n.get("correlation_id").asText() + " | "
                    + n.get("event_type").asText() + " | " + n.get("time").asText();
            assertThat(actual).as("line %d", i + 1).isEqualTo(e[0] + " | " + e[1] + " | " + expectedTime.apply(e[2]));
        }
    }

    private static void assertTimeOrdered(List<JsonNode> lines, ConversionStats stats) {
        Instant prev = Instant.MIN;
        for (JsonNode n : lines) {
            Instant t = Instant.from(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(
                    n.get("time").asText()));
            assertThat(t).isAfterOrEqualTo(prev);
            prev = t;
        }
        assertThat(stats.lastEventTime()).isEqualTo(prev);
    }

    private static Set<String> distinct(List<JsonNode> lines, String field) {
        Set<String> out = new HashSet<>();
        for (JsonNode n : lines) {
            out.add(n.get(field).asText());
        }
        return out;
    }

    /**
     * Per case: from the first {@code from} to the first {@code to} after it in the (time-ordered) output; cases
     * without such a pair are left out. Sorted ascending.
     */
    private static List<Long> leadsSeconds(List<JsonNode> lines, String from, String to) {
        Map<String, Instant> start = new LinkedHashMap<>();
        Map<String, Long> lead = new LinkedHashMap<>();
        for (JsonNode n : lines) {
            String c = n.get("correlation_id").asText();
            String a = n.get("event_type").asText();
            Instant t = Instant.from(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(
                    n.get("time").asText()));
            if (a.equals(from) && !start.containsKey(c)) {
                start.put(c, t);
            } else if (a.equals(to) && start.containsKey(c) && !lead.containsKey(c)) {
                lead.put(c, Duration.between(start.get(c), t).getSeconds());
            }
        }
        List<Long> out = new ArrayList<>(lead.values());
        Collections.sort(out);
        return out;
    }
}
