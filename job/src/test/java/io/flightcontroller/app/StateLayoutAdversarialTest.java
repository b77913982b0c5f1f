package io.flightcontroller.app;

import static io.flightcontroller.app.DeterministicReplayTest.run;
import static io.flightcontroller.app.DeterministicReplayTest.settings;
import static io.flightcontroller.app.DeterministicReplayTest.sqlite;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.app.DeterministicReplayTest.Baseline;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.PipelineCounters;
import io.flightcontroller.pipeline.PipelineOptions.StateLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adversarial inputs for {@code state.layout=per_correlation_id}: crafted JSON lines in arrival order (out of order
 * within one id, equal timestamps, late duplicates arriving after their key's expiry, unused types, events missing
 * the payload key field), retentions of zero, a hot id, every engine and every kind in one measures file (lead times
 * keyed on the correlation id, with and without a payload field, every cycle, cycle count, counter, value, a lead
 * time keyed on a payload field only, sequences on flink-cep keyed on the correlation id and on a payload field).
 * Each test compares the per-measure layout with the per-correlation-id layout, rows and counters.
 */
class StateLayoutAdversarialTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void folder() {
        DeterministicReplayTest.useFolder(dir);
    }

    private static final MeasuresConfig ALL_KINDS = allKinds();

    /** @return {@code measures-all-kinds.yaml} (test resources): every kind, in every keying */
    static MeasuresConfig allKinds() {
        try (java.io.InputStream in =
                StateLayoutAdversarialTest.class.getResourceAsStream("/measures-all-kinds.yaml")) {
            return MeasuresYaml.read(in, "measures-all-kinds.yaml");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Counters that say what happened to every event; each must be equal in both layouts. */
    static final String[] COUNTERS = {
        PipelineCounters.RECORDS_IN,
        PipelineCounters.DUPLICATE,
        PipelineCounters.UNKNOWN_TYPE,
        PipelineCounters.LATE,
        PipelineCounters.LATE_APPLIED,
        PipelineCounters.ORPHAN,
        PipelineCounters.MATCHED,
        PipelineCounters.TIMED_OUT,
        PipelineCounters.BREACHED,
        PipelineCounters.NO_VALUE,
        PipelineCounters.OPEN_AT_END,
        PipelineCounters.BURN_RATE_ALERTS,
        PipelineCounters.DEAD_LETTERS,
        PipelineCounters.STATE_OF_REMOVED_MEASURE
    };

    private static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();

    private static String ev(String eventId, String id, String type, long ms, String payload) {
        return "{" + (eventId == null ? "" : "\"id\":\"" + eventId + "\",") + "\"correlation_id\":\"" + id
                + "\",\"event_type\":\"" + type + "\",\"time\":\"" + Instant.ofEpochMilli(ms) + "\""
                + (payload == null ? "" : ",\"payload\":" + payload) + "}";
    }

    /**
     * A messy workload, seeded: {@code ids} correlation ids each with cycles of a/b/c, values and noise on whole
     * minutes (ties), payload x from three values or missing; lines in time order, then every 8th moved 1-80 lines
     * later (out of order, some late), every 6th copied 1-400 lines later (duplicates, some after their key's
     * expiry), half the lines with an EventBridge id.
     */
    static List<String> messy(int ids, long seed) {
        Random r = new Random(seed);
        List<long[]> order = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < ids; i++) {
            String id = "c" + i;
            long t = T0 + r.nextInt(240) * 60_000L;
            int cycles = 1 + r.nextInt(4);
            for (int k = 0; k < cycles; k++) {
                String x = pick(r);
                long a = t;
                String[] types = {"a", "b", "c", "v", "noise", "a", "b"};
                for (String type : types) {
                    if (r.nextInt(5) == 0) {
                        continue;
                    }
                    String payload = type.equals("v")
                            ? "{\"x\":" + (x == null ? "null" : "\"" + x + "\"") + ",\"ok\":" + r.nextInt(5)
                                    + ",\"bad\":" + r.nextInt(3) + "}"
                            : x == null ? "{}" : "{\"x\":\"" + x + "\"}";
                    String eid = r.nextBoolean() ? "e" + (n) : null;
                    order.add(new long[] {a, n++});
                    lines.add(ev(eid, id, type, a, payload));
                    a += r.nextInt(25) * 60_000L; // 0: an equal timestamp
                }
                t = a + r.nextInt(90) * 60_000L;
            }
        }
        order.sort((p, q) -> p[0] != q[0] ? Long.compare(p[0], q[0]) : Long.compare(p[1], q[1]));
        List<String> sorted = new ArrayList<>();
        for (long[] o : order) {
            sorted.add(lines.get((int) o[1]));
        }
        for (int i = sorted.size() - 1; i >= 0; i -= 8) {
            String l = sorted.remove(i);
            sorted.add(Math.min(sorted.size(), i + 1 + r.nextInt(80)), l);
        }
        int size = sorted.size();
        for (int i = 0; i < size; i += 6) {
            sorted.add(Math.min(sorted.size(), i + 1 + r.nextInt(400)), sorted.get(i));
        }
        long last = order.get(order.size() - 1)[0];
        sorted.add(ev(null, "heartbeat", "noise", last + 1000, null));
        return sorted;
    }

    private static String pick(Random r) {
        int k = r.nextInt(4);
        return k == 3 ? null : "p" + k;
    }

    private LocalRun.Settings arrival(List<String> lines, String name, StateLayout layout) throws Exception {
        Path file = dir.resolve(name + ".jsonl");
        if (!Files.exists(file)) {
            Files.write(file, lines, StandardCharsets.UTF_8);
        }
        LocalRun.Settings s = settings(ALL_KINDS, sqlite(name + "-" + layout), Collections.singletonList(file));
        s.arrivalOrder = true;
        s.pipeline.outOfOrderness(Duration.ofMinutes(3));
        s.pipeline.stateLayout(layout);
        return s;
    }

    private static void assertSame(String what, Baseline perMeasure, Baseline perCorrelationId) {
        List<String> diffs = new ArrayList<>();
        for (String c : COUNTERS) {
            if (perMeasure.counter(c) != perCorrelationId.counter(c)) {
                diffs.add(c + ": per measure " + perMeasure.counter(c) + ", per id " + perCorrelationId.counter(c));
            }
        }
        for (String table : perMeasure.tables.keySet()) {
            List<String> a = new ArrayList<>(perMeasure.tables.get(table));
            List<String> b = new ArrayList<>(perCorrelationId.tables.get(table));
            List<String> onlyA = new ArrayList<>(a);
            onlyA.removeAll(b);
            List<String> onlyB = new ArrayList<>(b);
            onlyB.removeAll(a);
            if (a.size() != b.size() || !onlyA.isEmpty() || !onlyB.isEmpty()) {
                diffs.add(table + ": " + a.size() + " vs " + b.size() + " rows; only per measure "
                        + onlyA.subList(0, Math.min(3, onlyA.size())) + "; only per id "
                        + onlyB.subList(0, Math.min(3, onlyB.size())));
            }
        }
        assertThat(diffs).as(what).isEmpty();
    }

    private static void exercised(Baseline b) {
        assertThat(b.counter(PipelineCounters.DUPLICATE)).as("duplicates").isPositive();
        assertThat(b.counter(PipelineCounters.LATE)).as("late").isPositive();
        assertThat(b.counter(PipelineCounters.UNKNOWN_TYPE)).as("unknown").isPositive();
        assertThat(b.counter(PipelineCounters.MATCHED)).as("matched").isGreaterThan(100);
        assertThat(b.rows("lead_times")).isNotEmpty();
    }

    @Test
    void aMessyArrivalOrderWorkloadOfEveryKindGivesTheSameRowsInBothLayouts() throws Exception {
        List<String> lines = messy(150, 7L);
        Baseline perMeasure = run(arrival(lines, "messy", StateLayout.PER_MEASURE));
        exercised(perMeasure);
        assertThat(perMeasure.counter(PipelineCounters.LATE_APPLIED))
                .as("late applied")
                .isPositive();
        assertThat(perMeasure.counter(PipelineCounters.OPEN_AT_END))
                .as("open at end")
                .isPositive();
        LocalRun.Settings s = arrival(lines, "messy", StateLayout.PER_CORRELATION_ID);
        s.parallelism = 3;
        assertSame("messy, per id at p=3", perMeasure, run(s));
    }

    @Test
    void zeroRetentionsForgetKeysAndReleaseCasesAtOnceAlikeInBothLayouts() throws Exception {
        List<String> lines = messy(150, 8L);
        LocalRun.Settings a = arrival(lines, "zero", StateLayout.PER_MEASURE);
        a.pipeline.dedupRetention(Duration.ZERO).caseRetention(Duration.ZERO);
        Baseline perMeasure = run(a);
        exercised(perMeasure);
        LocalRun.Settings b = arrival(lines, "zero", StateLayout.PER_CORRELATION_ID);
        b.pipeline.dedupRetention(Duration.ZERO).caseRetention(Duration.ZERO);
        assertSame("zero retentions, per id at p=2", perMeasure, run(b));
    }

    @Test
    void shortRetentionsWithLateDuplicatesAfterExpiryAreAlikeInBothLayouts() throws Exception {
        List<String> lines = messy(150, 9L);
        LocalRun.Settings a = arrival(lines, "short", StateLayout.PER_MEASURE);
        a.pipeline.dedupRetention(Duration.ofMinutes(2)).caseRetention(Duration.ofMinutes(10));
        Baseline perMeasure = run(a);
        exercised(perMeasure);
        LocalRun.Settings b = arrival(lines, "short", StateLayout.PER_CORRELATION_ID);
        b.pipeline.dedupRetention(Duration.ofMinutes(2)).caseRetention(Duration.ofMinutes(10));
        b.parallelism = 1;
        assertSame("short retentions, per id at p=1", perMeasure, run(b));
    }

    /**
     * One id with 200 events under 20 payload values, equal timestamps in pairs, out of order, every 5th sent again
     * 1-150 lines later: more than 64 keys remembered at once, forgotten (the value unspills) and spilled again.
     */
    @Test
    void aHotIdThatSpillsForgetsAndSpillsAgainIsAlikeInBothLayouts() throws Exception {
        Random r = new Random(3L);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String type = i % 4 == 3 ? "b" : i % 4 == 2 ? "v" : i % 11 == 0 ? "noise" : "a";
            long t = T0 + (i / 2) * 60_000L + (i > 100 ? 120 * 60_000L : 0);
            String payload = type.equals("v")
                    ? "{\"x\":\"g" + (i % 20) + "\",\"ok\":" + (i % 7) + ",\"bad\":1}"
                    : "{\"x\":\"g" + (i % 20) + "\"}";
            lines.add(ev(i % 3 == 0 ? null : "h" + i, "hot", type, t, payload));
        }
        for (int i = lines.size() - 1; i >= 0; i -= 7) {
            String moved = lines.remove(i);
            lines.add(Math.min(lines.size(), i + 1 + r.nextInt(12)), moved);
        }
        int size = lines.size();
        for (int i = 0; i < size; i += 5) {
            lines.add(Math.min(lines.size(), i + 1 + r.nextInt(150)), lines.get(i));
        }
        lines.add(ev(null, "tail", "noise", T0 + 400 * 60_000L, null));
        LocalRun.Settings a = arrival(lines, "hot", StateLayout.PER_MEASURE);
        a.pipeline.dedupRetention(Duration.ofMinutes(30)).caseRetention(Duration.ofMinutes(5));
        Baseline perMeasure = run(a);
        assertThat(perMeasure.counter(PipelineCounters.DUPLICATE)).isGreaterThan(10);
        LocalRun.Settings b = arrival(lines, "hot", StateLayout.PER_CORRELATION_ID);
        b.pipeline.dedupRetention(Duration.ofMinutes(30)).caseRetention(Duration.ofMinutes(5));
        assertSame("hot id", perMeasure, run(b));
    }

    /** Sorted replay (the file is the truth): the same messy lines, no late events, ties decided by line order. */
    @Test
    void aSortedReplayWithTiesGivesTheSameRowsInBothLayouts() throws Exception {
        List<String> lines = messy(150, 10L);
        LocalRun.Settings a = arrival(lines, "sorted", StateLayout.PER_MEASURE);
        a.arrivalOrder = false;
        Baseline perMeasure = run(a);
        assertThat(perMeasure.counter(PipelineCounters.DUPLICATE)).isPositive();
        LocalRun.Settings b = arrival(lines, "sorted", StateLayout.PER_CORRELATION_ID);
        b.arrivalOrder = false;
        b.parallelism = 4;
        assertSame("sorted, per id at p=4", perMeasure, run(b));
    }

    /**
     * The per-measure layout against itself at parallelism 1 and 3. It failed before late events waited in the case's
     * buffer for the watermark they arrived behind: a late event for a case keyed on a payload field was applied on
     * arrival, against whatever the case's other channels had delivered by then.
     */
    @Test
    void controlThePerMeasureLayoutAgainstItselfAtParallelism1And3() throws Exception {
        List<String> lines = messy(150, 8L);
        LocalRun.Settings a = arrival(lines, "zero", StateLayout.PER_MEASURE);
        a.jdbcUrl = sqlite("zero-control-p1");
        a.parallelism = 1;
        a.pipeline.dedupRetention(Duration.ZERO).caseRetention(Duration.ZERO);
        Baseline p1 = run(a);
        LocalRun.Settings b = arrival(lines, "zero", StateLayout.PER_MEASURE);
        b.jdbcUrl = sqlite("zero-control-p3");
        b.parallelism = 3;
        b.pipeline.dedupRetention(Duration.ZERO).caseRetention(Duration.ZERO);
        assertSame("zero retentions, per measure p=1 vs p=3", p1, run(b));
    }

    /** Control: per-measure p=1 vs per-id p=1 on the zero-retention workload (one channel everywhere). */
    @Test
    void zeroRetentionsAtParallelism1AreAlikeInBothLayouts() throws Exception {
        List<String> lines = messy(150, 8L);
        LocalRun.Settings a = arrival(lines, "zero", StateLayout.PER_MEASURE);
        a.jdbcUrl = sqlite("zero-p1-measure");
        a.parallelism = 1;
        a.pipeline.dedupRetention(Duration.ZERO).caseRetention(Duration.ZERO);
        Baseline perMeasure = run(a);
        LocalRun.Settings b = arrival(lines, "zero", StateLayout.PER_CORRELATION_ID);
        b.jdbcUrl = sqlite("zero-p1-id");
        b.parallelism = 1;
        b.pipeline.dedupRetention(Duration.ZERO).caseRetention(Duration.ZERO);
        assertSame("zero retentions, both at p=1", perMeasure, run(b));
    }
}
