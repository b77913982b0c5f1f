package io.flightcontroller.app;

import static io.flightcontroller.app.DeterministicReplayTest.arrivalOrder;
import static io.flightcontroller.app.DeterministicReplayTest.orderedCases;
import static io.flightcontroller.app.DeterministicReplayTest.rich;
import static io.flightcontroller.app.DeterministicReplayTest.richSettings;
import static io.flightcontroller.app.DeterministicReplayTest.run;
import static io.flightcontroller.app.DeterministicReplayTest.settings;
import static io.flightcontroller.app.DeterministicReplayTest.sqlite;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.eventlog.EventLogConverter;
import io.flightcontroller.adapters.eventlog.EventLogOptions;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.app.DeterministicReplayTest.Baseline;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.PipelineCounters;
import io.flightcontroller.pipeline.PipelineOptions.StateLayout;
import io.flightcontroller.testing.ResultTables;
import io.flightcontroller.testing.SharedData;
import io.flightcontroller.testing.StateBackends;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code state.layout=per_correlation_id} (de-duplication and measuring in one operator keyed by correlation id) writes
 * exactly the rows and counters of the default per-measure layout: on the main workload (every kind, sequences,
 * measures keyed on payload fields, duplicates, late and unused events), at parallelism 1 and 4, on RocksDB, with
 * short retentions that release cases and forget keys mid-run, in arrival order with late events read slowly, and on
 * a real log.
 */
class StateLayoutEquivalenceTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void folder() {
        DeterministicReplayTest.useFolder(dir);
    }

    static void assertSameRowsAndCounters(String what, Baseline perMeasure, Baseline perCorrelationId) {
        ResultTables.assertSame(what, perMeasure.tables, perCorrelationId.tables);
        for (String c : StateLayoutAdversarialTest.COUNTERS) {
            assertThat(perCorrelationId.counter(c)).as(what + ": counter " + c).isEqualTo(perMeasure.counter(c));
        }
    }

    private static LocalRun.Settings perCorrelationId(LocalRun.Settings s) {
        s.pipeline.stateLayout(StateLayout.PER_CORRELATION_ID);
        return s;
    }

    @Test
    void theMainWorkloadGivesTheSameTablesAndCountersInBothLayoutsAtParallelism1And4() throws Exception {
        Baseline perMeasure = rich();
        // the workload exercises what the layouts treat differently
        assertThat(perMeasure.counter(PipelineCounters.DUPLICATE)).isPositive();
        assertThat(perMeasure.counter(PipelineCounters.MATCHED)).isGreaterThan(3000);
        assertThat(perMeasure.counter(PipelineCounters.OPEN_AT_END)).isPositive();
        LocalRun.Settings p1 = perCorrelationId(richSettings(sqlite("layout-p1")));
        p1.parallelism = 1;
        assertSameRowsAndCounters("per correlation id at p=1 vs per measure at p=2", perMeasure, run(p1));
        LocalRun.Settings p4 = perCorrelationId(richSettings(sqlite("layout-p4")));
        p4.parallelism = 4;
        assertSameRowsAndCounters("per correlation id at p=4 vs per measure at p=2", perMeasure, run(p4));
    }

    @Test
    void onRocksDbThePerCorrelationIdLayoutGivesTheHeapPerMeasureTables() throws Exception {
        LocalRun.Settings s = perCorrelationId(richSettings(sqlite("layout-rocksdb")));
        s.flinkOptions = StateBackends.configuration(StateBackends.ROCKSDB);
        s.extraSinks = out -> StateBackends.probe(out.measurements, "layout-rocksdb");
        Baseline rocks = run(s);
        StateBackends.assertRanOn("layout-rocksdb", StateBackends.ROCKSDB);
        assertSameRowsAndCounters("per correlation id on RocksDB vs per measure on the heap", rich(), rocks);
    }

    /**
     * The streaming job's retentions, shortened further: cases are released and de-duplication keys forgotten while
     * the run goes on, so the shared timer's clean-up paths decide rows. The per-measure layout at parallelism 1,
     * the per-correlation-id layout at 3 (the workload's sequence measure included: its releases and late steps are
     * decided in event time, not by how the channels interleave).
     */
    @Test
    void shortRetentionsReleaseCasesAndForgetKeysAlikeInBothLayouts() throws Exception {
        LocalRun.Settings a = richSettings(sqlite("layout-short-measure"));
        a.pipeline.caseRetention(Duration.ofHours(6)).dedupRetention(Duration.ofMinutes(1));
        a.parallelism = 1;
        Baseline perMeasure = run(a);
        LocalRun.Settings b = perCorrelationId(richSettings(sqlite("layout-short-id")));
        b.pipeline.caseRetention(Duration.ofHours(6)).dedupRetention(Duration.ofMinutes(1));
        b.parallelism = 3;
        Baseline byId = run(b);
        // the short retention changed what is counted, so the comparison covers the release paths
        assertThat(perMeasure.tables).isNotEqualTo(rich().tables);
        assertSameRowsAndCounters(
                "short retentions, per correlation id at p=3 vs per measure at p=1", perMeasure, byId);
    }

    @Test
    void inArrivalOrderLateEventsReadSlowlyGiveTheSameTablesInBothLayouts() throws Exception {
        List<String> lines = new ArrayList<>(orderedCases());
        int moved = DeterministicReplayTest.moveAssignmentsLate(lines);
        assertThat(moved).isGreaterThan(10);
        Baseline perMeasure = run(arrivalOrder(lines, "layout-late-measure"));
        assertThat(perMeasure.counter(PipelineCounters.LATE_APPLIED)).isPositive();
        LocalRun.Settings s = perCorrelationId(arrivalOrder(lines, "layout-late-id"));
        s.parallelism = 4;
        s.inputFormat = f -> new DeterministicReplayTest.SlowFormat(f, 400, 250);
        assertSameRowsAndCounters("arrival order, per correlation id slowed at p=4", perMeasure, run(s));
    }

    /**
     * A hot correlation id: one id with 300 counted events under 20 case keys (correlation id plus a payload field),
     * every 10th sent twice, more than the 64 keys an id keeps in its value before they move to the map state.
     */
    @Test
    void aHotCorrelationIdWithMoreKeysThanTheValueHoldsCountsTheSameInBothLayouts() throws Exception {
        MeasuresConfig m = MeasuresYaml.parse("measures:\n"
                + "  - name: activations\n    kind: counter\n    events: activated\n"
                + "    key: [correlation_id, payload.guardrail_id]\n"
                + "  - name: activation_to_pass\n    start: activated\n    end: passed\n    every_cycle: true\n"
                + "    key: [correlation_id, payload.guardrail_id]\n");
        List<String> lines = new ArrayList<>();
        long t0 = java.time.Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 300; i++) {
            String line = "{\"id\":\"e" + i + "\",\"correlation_id\":\"hot\",\"event_type\":\""
                    + (i % 3 == 2 ? "passed" : "activated") + "\",\"time\":\""
                    + java.time.Instant.ofEpochMilli(t0 + i * 60_000L) + "\",\"payload\":{\"guardrail_id\":\"g"
                    + (i % 20) + "\"}}";
            lines.add(line);
            if (i % 10 == 0) {
                lines.add(line);
            }
        }
        Path file = dir.resolve("layout-hot.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        List<Path> in = Collections.singletonList(file);
        Baseline perMeasure = run(settings(m, sqlite("layout-hot-measure"), in));
        assertThat(perMeasure.counter(PipelineCounters.DUPLICATE)).isEqualTo(30);
        assertThat(perMeasure.rows("lead_times")).isNotEmpty();
        assertSameRowsAndCounters(
                "hot id", perMeasure, run(perCorrelationId(settings(m, sqlite("layout-hot-id"), in))));
    }

    @Test
    void aRealLogGivesTheSameTablesInBothLayouts() throws Exception {
        Path events = dir.resolve("layout-sepsis.jsonl");
        EventLogConverter.convert(
                SharedData.path("sepsis_cases_eventdataR.csv"),
                events,
                EventLogOptions.builder()
                        .delimiter(';')
                        .caseColumn("Case ID")
                        .activityColumn("Activity")
                        .timeColumn("Complete Timestamp")
                        .build());
        MeasuresConfig m = MeasuresYaml.parse("measures:\n  - name: registration_to_antibiotics\n"
                + "    start: ER Registration\n    end: IV Antibiotics\n    timeout: P2D\n"
                + "    slo: {threshold: PT1H, objective: 0.9, window: P28D}\n"
                + "  - name: registration_to_release\n    start: ER Registration\n    end: Release A\n"
                + "    timeout: P30D\n");
        List<Path> in = Collections.singletonList(events);
        Baseline perMeasure = run(settings(m, sqlite("layout-sepsis-measure"), in));
        assertThat(perMeasure.rows("lead_times")).hasSizeGreaterThan(821);
        LocalRun.Settings s = perCorrelationId(settings(m, sqlite("layout-sepsis-id"), in));
        s.parallelism = 1;
        assertSameRowsAndCounters("sepsis, per correlation id at p=1", perMeasure, run(s));
    }
}
