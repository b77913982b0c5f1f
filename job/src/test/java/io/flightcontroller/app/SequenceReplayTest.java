package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flightcontroller.adapters.eventlog.EventLogConverter;
import io.flightcontroller.adapters.eventlog.EventLogOptions;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.result.Quantiles;
import io.flightcontroller.pipeline.PipelineCounters;
import io.flightcontroller.pipeline.PipelineOptions;
import io.flightcontroller.testing.SharedData;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BPI Challenge 2013 incidents log replayed with its process as one sequence measure on Flink CEP:
 * {@code Queued-Awaiting Assignment -> Accepted-In Progress -> Completed-Resolved}. The first hop equals the reference
 * figures of Queued -> Accepted ({@code ../shared/data/reference_figures.csv}: n 4,487, median 1,672 s, p90
 * 85,235.2 s); the second hop and the whole sequence equal, case by case, what this test computes from the CSV
 * itself: per case, the events in time order (ties in file order), step 1 the first Queued, step k+1 the first step-k+1
 * event after step k.
 */
class SequenceReplayTest {
    static final String QUEUED = "Queued-Awaiting Assignment";
    static final String ACCEPTED = "Accepted-In Progress";
    static final String COMPLETED = "Completed-Resolved";

    @TempDir
    Path dir;

    /** One row of the log. */
    static final class Row {
        final String activity;
        final long timeMs;
        final long line;

        Row(String activity, long timeMs, long line) {
            this.activity = activity;
            this.timeMs = timeMs;
            this.line = line;
        }
    }

    /** Per case, the times of the steps reached (1 to 3 of them), read straight from the CSV. */
    static Map<String, List<Long>> stepsFromTheFile(Path csvGz) throws Exception {
        Map<String, List<Row>> cases = new LinkedHashMap<>();
        try (Reader in =
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(csvGz)), StandardCharsets.UTF_8)) {
            long line = 0;
            boolean header = true;
            for (CSVRecord r : CSVFormat.DEFAULT.parse(in)) {
                if (header) { // "SR Number", "Change Date+Time", ..., "Activity" (column 4)
                    header = false;
                    continue;
                }
                cases.computeIfAbsent(r.get(0), k -> new ArrayList<>())
                        .add(new Row(
                                r.get(4),
                                OffsetDateTime.parse(r.get(1)).toInstant().toEpochMilli(),
                                line++));
            }
        }
        String[] steps = {QUEUED, ACCEPTED, COMPLETED};
        Map<String, List<Long>> out = new HashMap<>();
        for (Map.Entry<String, List<Row>> c : cases.entrySet()) {
            List<Row> rows = c.getValue();
            rows.sort(Comparator.comparingLong((Row r) -> r.timeMs).thenComparingLong(r -> r.line));
            List<Long> reached = new ArrayList<>();
            for (Row r : rows) {
                if (reached.size() < steps.length && r.activity.equals(steps[reached.size()])) {
                    reached.add(r.timeMs);
                }
            }
            if (!reached.isEmpty()) {
                out.put(c.getKey(), reached);
            }
        }
        return out;
    }

    Map<String, Long> leads(String measure) throws Exception {
        Map<String, Long> leads = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("results.db"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT case_key, duration_ms FROM lead_times WHERE measure = '" + measure + "'")) {
            while (rs.next()) {
                leads.put(rs.getString(1), rs.getLong(2));
            }
        }
        return leads;
    }

    @Test
    void bpic2013_queuedAcceptedCompletedAsOneSequence_hopsAndWholeMatchTheFileCaseByCase() throws Exception {
        Path csv = SharedData.path("bpic2013_incidents_volvo_ibm.csv.gz");
        Path events = dir.resolve("bpic.jsonl");
        EventLogConverter.convert(
                csv,
                events,
                EventLogOptions.builder()
                        .caseColumn("SR Number")
                        .activityColumn("Activity")
                        .timeColumn("Change Date+Time")
                        .build());
        LocalRun.Settings s = new LocalRun.Settings();
        s.measures = MeasuresYaml.parse("measures:\n"
                + "  - name: incident\n"
                + "    kind: sequence\n"
                + "    steps:\n"
                + "      - event: " + QUEUED + "\n"
                + "      - event: " + ACCEPTED + "\n"
                + "        measure: queued_to_accepted\n"
                + "      - event: " + COMPLETED + "\n");
        s.inputs.add(events);
        s.jdbcUrl = "jdbc:sqlite:" + dir.resolve("results.db");
        s.pipeline = PipelineOptions.builder(s.measures).caseRetention(Duration.ofDays(3650));
        s.progress = false;
        LocalRun.Result r = LocalRun.run(s, null);

        // the first hop is Queued -> Accepted: the reference figures
        Map<String, Long> first = leads("queued_to_accepted");
        long[] a = first.values().stream().mapToLong(Long::longValue).toArray();
        assertThat(a).hasSize(4487);
        assertThat(Quantiles.type7(a, 0.5)).isEqualTo(1_672_000.0);
        assertThat(Quantiles.type7(a, 0.9)).isCloseTo(85_235_200.0, within(0.5));

        // every hop and the whole sequence, case by case, as computed from the file here
        Map<String, Long> hop2 = new HashMap<>();
        Map<String, Long> hop3 = new HashMap<>();
        Map<String, Long> whole = new HashMap<>();
        long open = 0;
        for (Map.Entry<String, List<Long>> c : stepsFromTheFile(csv).entrySet()) {
            List<Long> t = c.getValue();
            if (t.size() >= 2) {
                hop2.put(c.getKey(), t.get(1) - t.get(0));
            }
            if (t.size() == 3) {
                hop3.put(c.getKey(), t.get(2) - t.get(1));
                whole.put(c.getKey(), t.get(2) - t.get(0));
            } else {
                open++;
            }
        }
        assertThat(first).isEqualTo(hop2);
        Map<String, Long> second = leads("incident#3");
        assertThat(second.equals(hop3))
                .as("second hop case by case (%d vs %d cases)", second.size(), hop3.size())
                .isTrue();
        Map<String, Long> all = leads("incident");
        assertThat(all.equals(whole))
                .as("whole sequence case by case (%d vs %d cases)", all.size(), whole.size())
                .isTrue();
        assertThat(hop3).isNotEmpty();
        // cases that never reached their last step are open at the end, nothing timed out (no limits declared)
        assertThat(r.counter(PipelineCounters.OPEN_AT_END)).isEqualTo(open);
        assertThat(r.counter(PipelineCounters.TIMED_OUT)).isZero();
        long[] b = hop3.values().stream().mapToLong(Long::longValue).toArray();
        long[] w = whole.values().stream().mapToLong(Long::longValue).toArray();
        System.out.printf(
                "BPIC 2013 as a sequence: Queued->Accepted n %d median %.1f s p90 %.1f s;"
                        + " Accepted->Completed n %d median %.1f s p90 %.1f s; whole n %d median %.1f s p90 %.1f s;"
                        + " open %d%n",
                a.length,
                Quantiles.type7(a, 0.5) / 1000,
                Quantiles.type7(a, 0.9) / 1000,
                b.length,
                Quantiles.type7(b, 0.5) / 1000,
                Quantiles.type7(b, 0.9) / 1000,
                w.length,
                Quantiles.type7(w, 0.5) / 1000,
                Quantiles.type7(w, 0.9) / 1000,
                open);
    }
}
