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
import io.flightcontroller.testing.StateBackends;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the real public logs in {@code ../shared/data} through convert and run, in event time, and checks the
 * independently computed reference figures of {@code ../shared/data/reference_figures.csv}; the sepsis log with its
 * SLO also with state in RocksDB (as on Managed Flink).
 */
class ReplayTest {
    @TempDir
    Path dir;

    LocalRun.Result replay(Path events, String measuresYaml) throws Exception {
        return replay(events, measuresYaml, null);
    }

    /** @param backend Flink's state backend ({@link StateBackends}), null for the default; proven by a probe */
    LocalRun.Result replay(Path events, String measuresYaml, String backend) throws Exception {
        LocalRun.Settings s = new LocalRun.Settings();
        s.measures = MeasuresYaml.parse(measuresYaml);
        s.inputs.add(events);
        s.jdbcUrl = "jdbc:sqlite:" + dir.resolve("results.db");
        s.alertsFile = dir.resolve("alerts.jsonl");
        s.deadLettersFile = dir.resolve("dead-letters.jsonl");
        // a replay keeps finished cases for the whole log: a repeated start is never a new case
        s.pipeline = PipelineOptions.builder(s.measures).caseRetention(Duration.ofDays(3650));
        s.progress = false;
        s.flinkOptions = backend == null ? null : StateBackends.configuration(backend);
        if (backend != null) {
            s.extraSinks = out -> StateBackends.probe(out.measurements, "replay-" + events + "-" + backend);
        }
        LocalRun.Result r = LocalRun.run(s, null);
        if (backend != null) {
            StateBackends.assertRanOn("replay-" + events + "-" + backend, backend);
        }
        return r;
    }

    long[] leads(String measure) throws Exception {
        List<Long> v = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("results.db"));
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT duration_ms FROM lead_times WHERE measure = '" + measure + "'")) {
            while (rs.next()) {
                v.add(rs.getLong(1));
            }
        }
        return v.stream().mapToLong(Long::longValue).toArray();
    }

    long query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("results.db"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Through the command line exactly as the README shows it (default options), then the database. */
    @Test
    void bpic2013_queuedToAccepted() throws Exception {
        Path events = dir.resolve("bpic.jsonl");
        Path measures = dir.resolve("bpic.yaml");
        java.nio.file.Files.write(
                measures,
                ("measures:\n  - name: queued_to_accepted\n"
                                + "    start: Queued-Awaiting Assignment\n    end: Accepted-In Progress\n")
                        .getBytes("UTF-8"));
        assertThat(FlightControllerCli.execute(
                        "convert",
                        "--case",
                        "SR Number",
                        "--activity",
                        "Activity",
                        "--time",
                        "Change Date+Time",
                        SharedData.path("bpic2013_incidents_volvo_ibm.csv.gz").toString(),
                        "-o",
                        events.toString()))
                .isZero();
        assertThat(FlightControllerCli.execute(
                        "run",
                        "--no-progress",
                        "--measures",
                        measures.toString(),
                        "--input",
                        events.toString(),
                        "--out-dir",
                        dir.toString(),
                        "--jdbc-url",
                        "jdbc:sqlite:" + dir.resolve("results.db")))
                .isZero();

        long[] leads = leads("queued_to_accepted");
        assertThat(leads).hasSize(4487);
        assertThat(Quantiles.type7(leads, 0.5)).isEqualTo(1_672_000.0);
        assertThat(Quantiles.type7(leads, 0.9)).isCloseTo(85_235_200.0, within(0.5));
        assertThat(Quantiles.shareAtMost(leads, 3_600_000L)).isCloseTo(0.6151, within(0.00005));
        assertThat(Quantiles.shareAtMost(leads, 86_400_000L)).isCloseTo(0.9017, within(0.00005));
        // the 286-day gap does not make anything late (the log is merged in event time), nothing is dead-lettered,
        // and cases queued but never accepted before the log ends are open, not timed out
        assertThat(query("SELECT COUNT(*) FROM dead_letters")).isZero();
        assertThat(query("SELECT COUNT(*) FROM alerts")).isZero();
        assertThat(query("SELECT COUNT(*) FROM open_cases WHERE measure = 'queued_to_accepted'"))
                .isPositive();
    }

    /** The same log through the job API: counters of the run. */
    @Test
    void bpic2013_counters() throws Exception {
        Path events = dir.resolve("bpic.jsonl");
        EventLogConverter.convert(
                SharedData.path("bpic2013_incidents_volvo_ibm.csv.gz"),
                events,
                EventLogOptions.builder()
                        .caseColumn("SR Number")
                        .activityColumn("Activity")
                        .timeColumn("Change Date+Time")
                        .build());
        LocalRun.Result r = replay(
                events,
                "measures:\n  - name: queued_to_accepted\n"
                        + "    start: Queued-Awaiting Assignment\n    end: Accepted-In Progress\n");
        assertThat(r.counter(PipelineCounters.RECORDS_IN)).isEqualTo(65533);
        assertThat(r.counter(PipelineCounters.MATCHED)).isEqualTo(4487);
        assertThat(r.counter(PipelineCounters.LATE)).isZero();
        assertThat(r.counter(PipelineCounters.OPEN_AT_END))
                .isEqualTo(query("SELECT COUNT(*) FROM open_cases"))
                .isPositive();
        assertThat(r.lines.get(0).measured).isEqualTo(4487);
        assertThat(r.lines.get(0).p50Ms).isEqualTo(1_672_000.0);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("io.flightcontroller.testing.StateBackends#both")
    void sepsis_registrationToAntibiotics_withSlo(String backend) throws Exception {
        Path events = dir.resolve("sepsis.jsonl");
        EventLogConverter.convert(
                SharedData.path("sepsis_cases_eventdataR.csv"),
                events,
                EventLogOptions.builder()
                        .delimiter(';')
                        .caseColumn("Case ID")
                        .activityColumn("Activity")
                        .timeColumn("Complete Timestamp")
                        .build());
        LocalRun.Result r = replay(
                events,
                "measures:\n  - name: registration_to_antibiotics\n"
                        + "    start: ER Registration\n    end: IV Antibiotics\n"
                        + "    slo: {threshold: PT1H, objective: 0.9, window: P28D}\n",
                backend);

        long[] leads = leads("registration_to_antibiotics");
        assertThat(leads).hasSize(821);
        assertThat(Quantiles.type7(leads, 0.5)).isEqualTo(6_849_000.0);
        assertThat(Quantiles.type7(leads, 0.9)).isEqualTo(15_178_000.0);
        assertThat(Quantiles.shareAtMost(leads, 3_600_000L)).isCloseTo(0.3435, within(0.00005));
        // compliance over completed cases: 282 of 821 good
        assertThat(query("SELECT COUNT(*) FROM lead_times WHERE good = 1")).isEqualTo(282);
        // 539 completed late + 229 never got antibiotics: one proactive breach alert per case
        assertThat(query("SELECT COUNT(*) FROM alerts WHERE kind = 'BREACH'")).isEqualTo(768);
        assertThat(query("SELECT COUNT(DISTINCT case_key) FROM alerts WHERE kind = 'BREACH'"))
                .isEqualTo(768);
        assertThat(r.counter(PipelineCounters.BREACHED)).isEqualTo(768);
        // burn-rate alerts fire and resolve in event time, each firing resolved once
        long firing = query("SELECT COUNT(*) FROM alerts WHERE kind = 'BURN_RATE_FIRING'");
        long resolved = query("SELECT COUNT(*) FROM alerts WHERE kind = 'BURN_RATE_RESOLVED'");
        assertThat(firing).isPositive();
        assertThat(resolved).isBetween(firing - 3, firing);
        // the SLO aggregates count the same verdicts
        assertThat(query("SELECT SUM(good) FROM window_aggregates WHERE window = 'PT24H'"))
                .isEqualTo(282);
        assertThat(query("SELECT SUM(bad) FROM window_aggregates WHERE window = 'PT24H'"))
                .isEqualTo(768);
        assertThat(query("SELECT SUM(completed) FROM window_aggregates WHERE window = 'PT1H'"))
                .isEqualTo(821);
        // the exact duplicate row of the log is recognised
        assertThat(r.counter(PipelineCounters.DUPLICATE)).isEqualTo(1);
    }
}
