package io.flightcontroller.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.app.LocalRun;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.PipelineCounters;
import io.flightcontroller.pipeline.PipelineOptions;
import io.flightcontroller.testing.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalRun} writing into a real PostgreSQL 15 on loopback: lead times land in {@code lead_times}, a re-run of
 * the same input leaves the same rows (upserts, no duplicates), dead letters land in {@code dead_letters}, and both
 * tables hold the same rows as with SQLite (one schema for both).
 */
class PostgresLocalRunTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    private static final MeasuresConfig MEASURES = MeasuresYaml.parse("measures:\n"
            + "  - name: project_lead_time\n"
            + "    start: project_requested\n"
            + "    end: project_created\n"
            + "    timeout: P1D\n"
            + "    slo: {threshold: PT1H, objective: 0.9, window: P28D}\n");

    @TempDir
    Path dir;

    private static String ev(String id, String type, String time) {
        return "{\"correlation_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"time\":\"" + time + "\"}";
    }

    private LocalRun.Result run(Path input, String url) throws Exception {
        LocalRun.Settings s = new LocalRun.Settings();
        s.measures = MEASURES;
        s.inputs.add(input);
        s.jdbcUrl = url;
        s.pipeline = PipelineOptions.builder(MEASURES);
        s.parallelism = 2;
        s.progress = false;
        return LocalRun.run(s, null);
    }

    @Test
    void leadTimesAndDeadLettersAreUpsertedIntoPostgresAndAReRunGivesTheSameTables() throws Exception {
        Path input = dir.resolve("events.jsonl");
        Files.write(
                input,
                Arrays.asList(
                        ev("p1", "project_requested", "2024-03-01T00:00:00Z"),
                        ev("p2", "project_requested", "2024-03-01T00:05:00Z"),
                        "not json at all",
                        ev("p1", "project_created", "2024-03-01T00:45:00Z"),
                        ev("p2", "project_created", "2024-03-01T02:05:00Z"),
                        "{\"correlation_id\":\"p3\",\"event_type\":\"project_requested\",\"time\":\"29/2/2016 01:16\"}"),
                StandardCharsets.UTF_8);
        String pg = POSTGRES.jdbcUrl();

        LocalRun.Result first = run(input, pg);
        assertThat(first.counter(PipelineCounters.MATCHED)).isEqualTo(2);
        List<String> leadTimes = rows(
                pg,
                "SELECT measure, case_key, cycle, correlation_id, start_time, end_time,"
                        + " duration_ms, good, late, after_timeout FROM lead_times ORDER BY case_key");
        assertThat(leadTimes)
                .containsExactly(
                        "project_lead_time|p1|1|p1|2024-03-01T00:00:00Z|2024-03-01T00:45:00Z|2700000|1|0|0",
                        "project_lead_time|p2|1|p2|2024-03-01T00:05:00Z|2024-03-01T02:05:00Z|7200000|0|0|0");
        String deadLettersSql = "SELECT stage, reason, raw FROM dead_letters ORDER BY reason";
        List<String> deadLetters = rows(pg, deadLettersSql);
        assertThat(deadLetters)
                .containsExactly(
                        "parse|bad_time|{\"correlation_id\":\"p3\",\"event_type\":\"project_requested\","
                                + "\"time\":\"29/2/2016 01:16\"}",
                        "parse|not_json|not json at all");
        // window is a reserved word in PostgreSQL: the aggregates table must exist and be written too
        assertThat(rows(pg, "SELECT measure, \"window\", completed FROM window_aggregates"))
                .isNotEmpty();
        String allLeadTimes = "SELECT * FROM lead_times ORDER BY measure, case_key, cycle";
        String allDeadLetters = "SELECT * FROM dead_letters ORDER BY dead_letter_id";
        List<String> leadTimesFull = rows(pg, allLeadTimes);
        List<String> deadLettersFull = rows(pg, allDeadLetters);

        LocalRun.Result second = run(input, pg);
        assertThat(second.counter(PipelineCounters.MATCHED)).isEqualTo(2);
        assertThat(rows(pg, allLeadTimes)).as("lead_times after a re-run").isEqualTo(leadTimesFull);
        assertThat(rows(pg, allDeadLetters)).as("dead_letters after a re-run").isEqualTo(deadLettersFull);

        // the same job into SQLite gives the same rows: one schema, one set of statements for both databases
        String sqlite = "jdbc:sqlite:" + dir.resolve("results.db");
        run(input, sqlite);
        assertThat(rows(JdbcOutputs.effectiveUrl(sqlite), allLeadTimes)).isEqualTo(leadTimesFull);
        assertThat(rows(JdbcOutputs.effectiveUrl(sqlite), allDeadLetters)).isEqualTo(deadLettersFull);
    }

    private static List<String> rows(String url, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    if (i > 1) {
                        sb.append('|');
                    }
                    sb.append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }
}
