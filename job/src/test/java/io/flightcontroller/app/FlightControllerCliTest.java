package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command on the project's own sample data, and the command line's error handling. */
class FlightControllerCliTest {
    @TempDir
    Path dir;

    static Path repo(String relative) {
        Path p = Paths.get("").toAbsolutePath();
        return Files.exists(p.resolve(relative)) ? p.resolve(relative) : p.getParent().resolve(relative);
    }

    String capture(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return new String(buf.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void sampleDataWithTheDefaultMeasures_everyDomainIsMeasured() throws Exception {
        int[] code = new int[1];
        String out = capture(() -> code[0] = FlightControllerCli.execute("run", "--no-progress",
                "--measures", repo("job/src/main/resources/measures.yaml").toString(),
                "--input", repo("sample-data/events.jsonl").toString(), "--out-dir", dir.toString()));
        assertThat(code[0]).as(out).isZero();
        for (String m : new String[] {"project_assigned_lead_time", "project_lead_time", "account_lead_time",
            "identity_lead_time", "resource_time_to_remediate", "guardrail_lead_time",
            "guardrail_activations_per_cycle", "guardrail_activations_total", "patch_compliance_percent"}) {
            assertThat(out).contains(m);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("flight-controller.db"));
                Statement st = c.createStatement()) {
            // resource i-1 remediated twice (3 h, with a repeated finding in between; then 30 min), i-2 once
            assertThat(longs(st, "SELECT duration_ms FROM lead_times WHERE measure = 'resource_time_to_remediate'"
                    + " AND case_key = 'i-1' ORDER BY cycle")).containsExactly(7_200_000L, 1_800_000L);
            // guardrail: 3 activations then 1; running total 4; maximum 3
            assertThat(longs(st, "SELECT value FROM measurements WHERE measure = 'guardrail_activations_per_cycle'"
                    + " AND case_key = 'landing-zone-1|gr-encryption' ORDER BY seq")).containsExactly(3L, 1L);
            assertThat(longs(st, "SELECT MAX(max_value) FROM measurements WHERE measure ="
                    + " 'guardrail_activations_per_cycle'")).containsExactly(3L);
            assertThat(longs(st, "SELECT MAX(value) FROM measurements WHERE measure = 'guardrail_activations_total'"
                    + " AND case_key = 'landing-zone-1|gr-encryption'")).containsExactly(4L);
            // patching: arrays 3 of 4 = 75 %, strings with no failure = 100 %, nothing at all = no metric
            assertThat(longs(st, "SELECT value FROM measurements WHERE measure = 'patch_compliance_percent'"
                    + " ORDER BY start_time")).containsExactly(75L, 100L);
            // identity keeps account_id as a dimension
            assertThat(longs(st, "SELECT COUNT(*) FROM lead_times WHERE measure = 'identity_lead_time'"
                    + " AND dimensions LIKE '%account_id%'")).containsExactly(5L);
            // project-000 timed out after P7D and completed later: a correction with the true duration
            assertThat(longs(st, "SELECT duration_ms FROM lead_times WHERE measure = 'project_lead_time'"
                    + " AND case_key = 'project-000' AND after_timeout = 1")).containsExactly(7L * 86_400_000L + 4 * 3_600_000L);
            assertThat(longs(st, "SELECT COUNT(*) FROM dead_letters")).containsExactly(4L);
        }
        assertThat(Files.readAllLines(dir.resolve("alerts.jsonl"))).anyMatch(l -> l.contains("\"kind\":\"timeout\"") && l.contains("\"deadline\":\"2026-11-07T08:00:00Z\""));
    }

    static java.util.List<Long> longs(Statement st, String sql) throws Exception {
        java.util.List<Long> v = new java.util.ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                v.add(Math.round(rs.getDouble(1)));
            }
        }
        return v;
    }

    @Test
    void anInvalidMeasuresFileFailsAtStartNamingMeasureAndField() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.write(bad, ("measures:\n  - name: project_lead_time\n    start: project_requested\n"
                + "    end: project_created\n    slo: {threshold: PT1H, objective: 95, window: P28D}\n")
                .getBytes(StandardCharsets.UTF_8));
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        int code;
        try {
            code = FlightControllerCli.execute("run", "--measures", bad.toString(), "--input",
                    repo("sample-data/events.jsonl").toString(), "--out-dir", dir.toString());
        } finally {
            System.setErr(oldErr);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString("UTF-8")).contains("project_lead_time").contains("slo.objective");
    }
}
