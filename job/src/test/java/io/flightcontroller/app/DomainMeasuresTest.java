package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.pipeline.PipelineCounters;
import io.flightcontroller.pipeline.PipelineOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original Flight Controller's domains through the whole job with the shipped measures file, on small event
 * sequences delivered out of order (within the out-of-orderness bound) and with a duplicate delivery.
 */
class DomainMeasuresTest {
    @TempDir
    Path dir;

    static String ev(String cid, String type, String time, String payload) {
        return "{\"correlation_id\":\"" + cid + "\",\"event_type\":\"" + type + "\",\"time\":\"" + time + "\""
                + (payload == null ? "" : ",\"payload\":" + payload) + "}";
    }

    LocalRun.Result run(String... lines) throws Exception {
        Path input = dir.resolve("events.jsonl");
        Files.write(input, Arrays.asList(lines), StandardCharsets.UTF_8);
        LocalRun.Settings s = new LocalRun.Settings();
        try (InputStream in = getClass().getResourceAsStream("/measures.yaml")) {
            s.measures = MeasuresYaml.read(in);
        }
        s.inputs.add(input);
        s.jdbcUrl = "jdbc:sqlite:" + dir.resolve("results.db");
        s.pipeline = PipelineOptions.builder(s.measures);
        s.progress = false;
        return LocalRun.run(s, null);
    }

    List<Long> longs(String sql) throws Exception {
        List<Long> v = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("results.db"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                v.add(Math.round(rs.getDouble(1)));
            }
        }
        return v;
    }

    @Test
    void guardrails_duplicateActivation_passWithoutActivation_outOfOrderWithinTheBound() throws Exception {
        String g = "{\"guardrail_id\":\"gr-1\"}";
        LocalRun.Result r = run(
                ev("lz", "guardrail_passed", "2026-01-01T00:00:00Z", g), // a pass with no activation before it
                ev("lz", "guardrail_activated", "2026-01-01T01:00:03Z", g), // arrives 3 s before an earlier one
                ev("lz", "guardrail_activated", "2026-01-01T01:00:00Z", g),
                ev("lz", "guardrail_activated", "2026-01-01T01:00:00Z", g), // duplicate delivery
                ev("lz", "guardrail_passed", "2026-01-01T01:30:00Z", g),
                ev("lz", "guardrail_activated", "2026-01-01T02:00:00Z", g),
                ev("lz", "guardrail_passed", "2026-01-01T02:10:00Z", g),
                ev("other", "project_requested", "2026-01-01T05:00:00Z", null));
        assertThat(r.counter(PipelineCounters.DUPLICATE)).isEqualTo(1);
        // lead from the FIRST activation after the last pass (01:00:00, not the first to arrive) to the next pass
        assertThat(longs("SELECT duration_ms FROM lead_times WHERE measure = 'guardrail_lead_time' ORDER BY cycle"))
                .containsExactly(30 * 60_000L, 10 * 60_000L);
        assertThat(
                        longs(
                                "SELECT value FROM measurements WHERE measure = 'guardrail_activations_per_cycle' ORDER BY seq"))
                .containsExactly(2L, 1L);
        assertThat(longs("SELECT max_value FROM measurements WHERE measure = 'guardrail_activations_per_cycle'"
                        + " ORDER BY seq"))
                .containsExactly(2L, 2L);
        assertThat(longs("SELECT value FROM measurements WHERE measure = 'guardrail_activations_total' ORDER BY seq"))
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void compliance_remediatedTwice_repeatedFindingsDoNotRestartTheClock() throws Exception {
        String c = "{\"container_id\":\"i-9\"}";
        run(
                ev("scan-1", "resource_found_non_compliant", "2026-01-01T00:00:00Z", c),
                ev("scan-2", "resource_found_non_compliant", "2026-01-01T00:20:00Z", c),
                ev("scan-3", "resource_found_compliant", "2026-01-01T01:00:00Z", c),
                ev("scan-4", "resource_found_compliant", "2026-01-01T01:10:00Z", c),
                ev("scan-6", "resource_found_non_compliant", "2026-01-01T03:00:04Z", c),
                ev("scan-5", "resource_found_non_compliant", "2026-01-01T03:00:00Z", c),
                ev("scan-7", "resource_found_compliant", "2026-01-01T03:30:00Z", c),
                ev("other", "project_requested", "2026-01-01T05:00:00Z", null));
        // keyed by the container, whatever the correlation id of each scan
        assertThat(longs("SELECT duration_ms FROM lead_times WHERE measure = 'resource_time_to_remediate'"
                        + " AND case_key = 'i-9' ORDER BY cycle"))
                .containsExactly(60 * 60_000L, 30 * 60_000L);
    }

    @Test
    void patching_listsAsArraysOrStrings_emptyFailuresAre100_nothingAtAllIsNoMetric() throws Exception {
        LocalRun.Result r = run(
                ev(
                        "p1",
                        "patch_run_summary",
                        "2026-01-01T00:00:00Z",
                        "{\"successful_instances\":[\"a\",\"b\",\"c\"],\"failed_instances\":[\"d\"]}"),
                ev(
                        "p2",
                        "patch_run_summary",
                        "2026-01-01T00:01:00Z",
                        "{\"successful_instances\":\"a, b\",\"failed_instances\":\"c\"}"),
                ev(
                        "p3",
                        "patch_run_summary",
                        "2026-01-01T00:02:00Z",
                        "{\"successful_instances\":[\"a\"],\"failed_instances\":[]}"),
                ev(
                        "p4",
                        "patch_run_summary",
                        "2026-01-01T00:03:00Z",
                        "{\"successful_instances\":\"\",\"failed_instances\":[]}"));
        assertThat(longs("SELECT ROUND(value * 100) FROM measurements WHERE measure = 'patch_compliance_percent'"
                        + " ORDER BY start_time"))
                .containsExactly(7500L, 6667L, 10000L);
        assertThat(r.counter(PipelineCounters.NO_VALUE)).isEqualTo(1);
    }

    @Test
    void accountsAndIdentities_identityKeepsItsAccountAsADimension() throws Exception {
        run(
                ev("acc-1", "account_requested", "2026-01-01T00:00:00Z", null),
                ev("acc-1", "account_created", "2026-01-01T02:00:00Z", "{\"account_id\":\"1234\"}"),
                ev("id-1", "identity_requested", "2026-01-01T00:10:00Z", "{\"account_id\":\"1234\"}"),
                ev("id-1", "identity_created", "2026-01-01T00:40:00Z", "{\"account_id\":\"1234\"}"));
        assertThat(longs("SELECT duration_ms FROM lead_times WHERE measure = 'account_lead_time'"))
                .containsExactly(2 * 3_600_000L);
        assertThat(longs("SELECT duration_ms FROM lead_times WHERE measure = 'identity_lead_time'"
                        + " AND dimensions = '{\"account_id\":\"1234\"}'"))
                .containsExactly(30 * 60_000L);
    }
}
