package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.eventlog.EventLogConverter;
import io.flightcontroller.adapters.eventlog.EventLogOptions;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.pipeline.PipelineCounters;
import io.flightcontroller.pipeline.PipelineOptions;
import io.flightcontroller.testing.PostgresServer;
import io.flightcontroller.testing.ResultTables;
import io.flightcontroller.testing.SharedData;
import io.flightcontroller.testing.StateBackends;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, points 1-6: a bounded replay leaves the same rows in every result table, compared table by table with
 * every column ({@link ResultTables}), whatever the parallelism, the database, the read speed, unused events mixed
 * in, the line order and how often it runs; one event far ahead changes no other case in arrival order; window
 * aggregates count each outcome in the window of its own time; a run's tables and summary are that run's alone.
 *
 * <p>The main workload is the default measures file over {@code sample-data/events.jsonl} plus a generated month of
 * cases ({@link #generatedCases}) with breaches, timeouts, a bad day that fires burn-rate alerts, open cases at the
 * end and events of an unused type; the real one is the public sepsis log with an SLO measure.
 */
class DeterministicReplayTest {

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @TempDir
    static Path dir;

    private static final Instant GENERATED_FROM = Instant.parse("2026-10-01T00:00:00Z");

    private static MeasuresConfig defaultMeasures;
    private static Path generated;
    private static Baseline rich;

    /**
     * Points the shared workloads at another test class's folder and forgets the cached ones (their files were in
     * this class's temporary folder, deleted after it ran).
     */
    static synchronized void useFolder(Path folder) {
        dir = folder;
        generated = null;
        rich = null;
        arrivalBaseline = null;
    }

    /** What one run left behind. */
    static final class Baseline {
        final LocalRun.Result result;
        final Map<String, List<String>> tables;

        Baseline(LocalRun.Result result, Map<String, List<String>> tables) {
            this.result = result;
            this.tables = tables;
        }

        long counter(String name) {
            return result.counter(name);
        }

        List<String> rows(String table) {
            return tables.get(table);
        }
    }

    static Path repo(String relative) {
        Path p = Paths.get("").toAbsolutePath();
        return Files.exists(p.resolve(relative))
                ? p.resolve(relative)
                : p.getParent().resolve(relative);
    }

    static synchronized MeasuresConfig defaultMeasures() throws IOException {
        if (defaultMeasures == null) {
            defaultMeasures = MeasuresYaml.read(repo("job/src/main/resources/measures.yaml"));
        }
        return defaultMeasures;
    }

    static LocalRun.Settings settings(MeasuresConfig measures, String jdbcUrl, List<Path> inputs) {
        LocalRun.Settings s = new LocalRun.Settings();
        s.measures = measures;
        s.inputs.addAll(inputs);
        s.jdbcUrl = jdbcUrl;
        // as the command line does: finished cases are kept for the whole replay
        s.pipeline = PipelineOptions.builder(measures).caseRetention(Duration.ofDays(3650));
        s.workDir = dir;
        s.progress = false;
        return s;
    }

    static String sqlite(String name) {
        return "jdbc:sqlite:" + dir.resolve(name + ".db");
    }

    static Baseline run(LocalRun.Settings s) throws Exception {
        LocalRun.Result r = LocalRun.run(s, null);
        return new Baseline(r, ResultTables.dump(s.jdbcUrl));
    }

    /** The main workload: sample data plus the generated month, default measures, SQLite, parallelism 2. */
    static LocalRun.Settings richSettings(String jdbcUrl) throws IOException {
        return settings(defaultMeasures(), jdbcUrl, Arrays.asList(repo("sample-data/events.jsonl"), generated()));
    }

    static synchronized Path generated() throws IOException {
        if (generated == null) {
            generated = dir.resolve("generated.jsonl");
            Files.write(generated, generatedCases(2000, 400, 11L), StandardCharsets.UTF_8);
        }
        return generated;
    }

    static synchronized Baseline rich() throws Exception {
        if (rich == null) {
            rich = run(richSettings(sqlite("rich-p2")));
            // a baseline that exercises every table: otherwise comparing it proves little
            assertThat(rich.rows("lead_times")).hasSizeGreaterThan(3000);
            assertThat(rich.rows("measurements")).isNotEmpty();
            assertThat(rich.rows("window_aggregates")).isNotEmpty();
            assertThat(rich.rows("error_budgets")).isNotEmpty();
            assertThat(rich.rows("open_cases")).isNotEmpty();
            assertThat(rich.rows("dead_letters")).isNotEmpty();
            for (String kind : new String[] {"TIMEOUT", "BREACH", "BURN_RATE_FIRING", "BURN_RATE_RESOLVED"}) {
                assertThat(rich.rows("alerts")).as(kind).anyMatch(r -> r.contains("|kind=" + kind + "|"));
            }
        }
        return rich;
    }

    private static String ev(String id, String type, long ms, String payload) {
        return "{\"correlation_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"time\":\""
                + Instant.ofEpochMilli(ms) + "\"" + (payload == null ? "" : ",\"payload\":" + payload) + "}";
    }

    /**
     * A month of projects and identities (from {@link #GENERATED_FROM}), lines in event-time order, with a fixed
     * seed. Projects: requested, assigned after 1-50 min (good for the PT1H SLO), after 61 min-10 h in 12% of the
     * cases (a breach) and in 60% on day 10 (a bad day: burn-rate alerts), never in 3% (a timeout after P7D, or open
     * at the end); created 10 min-30 h after assignment (beyond P1D: a breach of project_lead_time), never in 5%.
     * Identities: created after 1 min-3 h, never in 3% (timeout P2D). A comment of an unused type on every tenth
     * project. Times to the second, a case's steps at least one minute apart.
     *
     * @param projects project cases
     * @param identities identity cases
     * @param seed random seed
     * @return the lines
     */
    static List<String> generatedCases(int projects, int identities, long seed) {
        Random rnd = new Random(seed);
        long from = GENERATED_FROM.toEpochMilli();
        long month = Duration.ofDays(28).toMillis();
        List<long[]> order = new ArrayList<>(); // time, index into lines
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < projects; i++) {
            String id = String.format("gen-project-%05d", i);
            long requested = from + (rnd.nextLong() & Long.MAX_VALUE) % month / 1000 * 1000;
            String team = "{\"team\":\"team-" + rnd.nextInt(4) + "\"}";
            add(order, lines, requested, ev(id, "project_requested", requested, team));
            if (i % 10 == 0) {
                long t = requested + 1000L * (60 + rnd.nextInt(600));
                add(order, lines, t, ev(id, "project_commented", t, null));
            }
            boolean badDay = requested >= from + Duration.ofDays(10).toMillis()
                    && requested < from + Duration.ofDays(11).toMillis();
            double u = rnd.nextDouble();
            if (u < 0.03) {
                continue; // never assigned, never created
            }
            long assignMin = badDay && u < 0.6 || !badDay && u < 0.15 ? 61 + rnd.nextInt(540) : 1 + rnd.nextInt(50);
            long assigned = requested + assignMin * 60_000L + rnd.nextInt(60) * 1000L;
            add(
                    order,
                    lines,
                    assigned,
                    ev(id, "project_assigned", assigned, "{\"assignee\":\"eng" + rnd.nextInt(5) + "\"}"));
            if (rnd.nextDouble() < 0.05) {
                continue;
            }
            long created = assigned + (10 + rnd.nextInt(30 * 60 - 10)) * 60_000L + rnd.nextInt(60) * 1000L;
            add(
                    order,
                    lines,
                    created,
                    ev(id, "project_created", created, "{\"account_id\":\"" + (100_000_000_000L + i) + "\"}"));
        }
        for (int i = 0; i < identities; i++) {
            String id = String.format("gen-identity-%05d", i);
            long requested = from + (rnd.nextLong() & Long.MAX_VALUE) % month / 1000 * 1000;
            String account = "{\"account_id\":\"2000000000" + (10 + rnd.nextInt(5)) + "\"}";
            add(order, lines, requested, ev(id, "identity_requested", requested, account));
            if (rnd.nextDouble() < 0.03) {
                continue;
            }
            long created = requested + (1 + rnd.nextInt(180)) * 60_000L + rnd.nextInt(60) * 1000L;
            add(order, lines, created, ev(id, "identity_created", created, account));
        }
        order.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        return order.stream().map(o -> lines.get((int) o[1])).collect(Collectors.toList());
    }

    private static void add(List<long[]> order, List<String> lines, long time, String line) {
        order.add(new long[] {time, lines.size()});
        lines.add(line);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. parallelism, database, re-run

    @Test
    void theSameInputGivesTheSameTablesAtParallelism1And2InSqlite_4InPostgres_andOnARerun() throws Exception {
        Baseline p2 = rich();
        LocalRun.Settings p1 = richSettings(sqlite("rich-p1"));
        p1.parallelism = 1;
        ResultTables.assertSame("parallelism 1 vs 2", p2.tables, run(p1).tables);
        LocalRun.Settings pg = richSettings(POSTGRES.jdbcUrl());
        pg.parallelism = 4;
        ResultTables.assertSame("PostgreSQL at parallelism 4 vs SQLite at 2", p2.tables, run(pg).tables);
        // a re-run into the database the baseline wrote
        ResultTables.assertSame(
                "re-run into the same database", p2.tables, run(richSettings(sqlite("rich-p2"))).tables);
    }

    /** Every table of the main workload, with state in RocksDB (as on Managed Flink) instead of on the heap. */
    @Test
    void theSameInputGivesTheSameTablesOnRocksDbAsOnTheHeap() throws Exception {
        Baseline heap = rich();
        LocalRun.Settings s = richSettings(sqlite("rich-rocksdb"));
        s.flinkOptions = StateBackends.configuration(StateBackends.ROCKSDB);
        s.extraSinks = out -> StateBackends.probe(out.measurements, "rich-rocksdb");
        long started = System.nanoTime();
        Baseline rocks = run(s);
        System.out.printf("main workload on RocksDB: %.1f s%n", (System.nanoTime() - started) / 1e9);
        StateBackends.assertRanOn("rich-rocksdb", StateBackends.ROCKSDB);
        ResultTables.assertSame("RocksDB vs heap, parallelism 2", heap.tables, rocks.tables);
    }

    @Test
    void aRealLogGivesTheSameTablesAtParallelism1InSqliteAnd4InPostgres() throws Exception {
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
        MeasuresConfig m = MeasuresYaml.parse("measures:\n  - name: registration_to_antibiotics\n"
                + "    start: ER Registration\n    end: IV Antibiotics\n    timeout: P2D\n"
                + "    slo: {threshold: PT1H, objective: 0.9, window: P28D}\n");
        List<Path> in = Collections.singletonList(events);
        LocalRun.Settings sqlite = settings(m, sqlite("sepsis-p1"), in);
        sqlite.parallelism = 1;
        Baseline p1 = run(sqlite);
        assertThat(p1.rows("lead_times")).hasSize(821);
        assertThat(p1.rows("alerts"))
                .anyMatch(r -> r.contains("|kind=BURN_RATE_FIRING|"))
                .anyMatch(r -> r.contains("|kind=TIMEOUT|"));
        assertThat(p1.rows("window_aggregates")).anyMatch(r -> r.contains("|window=PT24H|"));
        LocalRun.Settings pg = settings(m, POSTGRES.jdbcUrl(), in);
        pg.parallelism = 4;
        ResultTables.assertSame("sepsis, PostgreSQL at parallelism 4 vs SQLite at 1", p1.tables, run(pg).tables);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. read speed, unused events

    /**
     * Wraps a record format so that its reader pauses {@code pauseMs} before every {@code everyLines}-th record:
     * longer than Flink's 200 ms auto-watermark interval, so a watermark on the wall clock would land elsewhere.
     */
    static final class SlowFormat implements StreamFormat<ParsedRecord> {
        private static final long serialVersionUID = 1L;
        private final StreamFormat<ParsedRecord> inner;
        private final int everyLines;
        private final long pauseMs;

        SlowFormat(StreamFormat<ParsedRecord> inner, int everyLines, long pauseMs) {
            this.inner = inner;
            this.everyLines = everyLines;
            this.pauseMs = pauseMs;
        }

        private StreamFormat.Reader<ParsedRecord> slow(StreamFormat.Reader<ParsedRecord> r) {
            return new StreamFormat.Reader<ParsedRecord>() {
                private long n;

                @Override
                public ParsedRecord read() throws IOException {
                    if (++n % everyLines == 0) {
                        try {
                            Thread.sleep(pauseMs);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new java.io.InterruptedIOException("slowed reader interrupted");
                        }
                    }
                    return r.read();
                }

                @Override
                public void close() throws IOException {
                    r.close();
                }
            };
        }

        @Override
        public StreamFormat.Reader<ParsedRecord> createReader(
                Configuration config, FSDataInputStream stream, long fileLen, long splitEnd) throws IOException {
            return slow(inner.createReader(config, stream, fileLen, splitEnd));
        }

        @Override
        public StreamFormat.Reader<ParsedRecord> restoreReader(
                Configuration config, FSDataInputStream stream, long restoredOffset, long fileLen, long splitEnd)
                throws IOException {
            return slow(inner.restoreReader(config, stream, restoredOffset, fileLen, splitEnd));
        }

        @Override
        public boolean isSplittable() {
            return inner.isSplittable();
        }

        @Override
        public TypeInformation<ParsedRecord> getProducedType() {
            return inner.getProducedType();
        }
    }

    @Test
    void aSlowedReaderGivesTheSameTablesAtParallelism4() throws Exception {
        LocalRun.Settings s = richSettings(sqlite("rich-slow"));
        s.inputFormat = f -> new SlowFormat(f, 1000, 250); // about 7,000 lines: 6 pauses of 250 ms
        s.parallelism = 4;
        long start = System.nanoTime();
        Baseline slow = run(s);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("the reader was slowed")
                .isGreaterThan(Duration.ofMillis(1500));
        ResultTables.assertSame("slowed reader at parallelism 4 vs normal at 2", rich().tables, slow.tables);
        assertThat(slow.counter(PipelineCounters.RECORDS_IN)).isEqualTo(rich().counter(PipelineCounters.RECORDS_IN));
    }

    @Test
    void aPacedReplayGivesTheSameTablesAsAnUnpacedOne() throws Exception {
        LocalRun.Settings s = richSettings(sqlite("rich-paced"));
        s.maxLinesPerSecond = 4_000; // that pacing holds is RateLimitedSourceTest's
        Baseline paced = run(s);
        ResultTables.assertSame("paced at 4,000 lines/s vs unpaced", rich().tables, paced.tables);
        assertThat(paced.counter(PipelineCounters.RECORDS_IN)).isEqualTo(rich().counter(PipelineCounters.RECORDS_IN));
    }

    @Test
    void fiftyThousandEventsOfAnUnusedTypeAtTheSameTimesChangeNoTable() throws Exception {
        Baseline plain = rich();
        List<String> lines = new ArrayList<>(Files.readAllLines(generated(), StandardCharsets.UTF_8));
        List<String> times = new ArrayList<>();
        for (String l : lines) {
            times.add(l.replaceAll(".*\"time\":\"([^\"]+)\".*", "$1"));
        }
        Random rnd = new Random(3);
        int padding = 50_000;
        List<String> padded = new ArrayList<>(lines.size() + padding);
        // each padding line right after a line of the same time, so the file stays in event-time order
        int[] after = new int[lines.size()];
        for (int i = 0; i < padding; i++) {
            after[rnd.nextInt(lines.size())]++;
        }
        for (int i = 0; i < lines.size(); i++) {
            padded.add(lines.get(i));
            for (int j = 0; j < after[i]; j++) {
                padded.add("{\"correlation_id\":\"pad-" + i + "-" + j + "\",\"event_type\":\"heartbeat\","
                        + "\"time\":\"" + times.get(i) + "\"}");
            }
        }
        Path file = dir.resolve("generated-padded.jsonl");
        Files.write(file, padded, StandardCharsets.UTF_8);
        LocalRun.Settings s = settings(
                defaultMeasures(), sqlite("rich-padded"), Arrays.asList(repo("sample-data/events.jsonl"), file));
        Baseline p = run(s);
        // an unused type is counted, not dead-lettered: every table is the same, dead letters included
        ResultTables.assertSame("padded with " + padding + " unused events vs plain", plain.tables, p.tables);
        assertThat(p.counter(PipelineCounters.RECORDS_IN) - plain.counter(PipelineCounters.RECORDS_IN))
                .isEqualTo(padding);
        assertThat(p.counter(PipelineCounters.UNKNOWN_TYPE) - plain.counter(PipelineCounters.UNKNOWN_TYPE))
                .isEqualTo(padding);
        assertThat(p.counter(PipelineCounters.DEAD_LETTERS)).isEqualTo(plain.counter(PipelineCounters.DEAD_LETTERS));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. line order

    @Test
    void aShuffledFileGivesTheSameTablesAsTheSortedOne() throws Exception {
        List<String> lines =
                new ArrayList<>(Files.readAllLines(repo("sample-data/events.jsonl"), StandardCharsets.UTF_8));
        lines.addAll(Files.readAllLines(generated(), StandardCharsets.UTF_8));
        Collections.shuffle(lines, new Random(42));
        Path file = dir.resolve("rich-shuffled.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        LocalRun.Settings s = settings(defaultMeasures(), sqlite("rich-shuffled"), Collections.singletonList(file));
        Baseline shuffled = run(s);
        assertThat(shuffled.result.sort.sorted()).isTrue();
        ResultTables.assertSame("shuffled vs sorted", rich().tables, shuffled.tables);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. one event far ahead, in arrival order

    private static final MeasuresConfig ASSIGNED = MeasuresYaml.parse("measures:\n  - name: assigned_lead_time\n"
            + "    start: requested\n    end: assigned\n    timeout: PT2H\n"
            + "    slo: {threshold: PT1H, objective: 0.95, window: P28D}\n");

    /**
     * 2,000 cases in event-time order from 2024-03-01: requested every minute, assigned 10 min later; every 20th
     * (from the 8th) after 90 min (a breach), every 50th (from the 14th) never (a breach, a timeout, or open at the
     * end); then a heartbeat of an unused type 1 s after the last assignment.
     */
    static List<String> orderedCases() {
        long t0 = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
        List<long[]> order = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String id = String.format("case-%04d", i);
            long requested = t0 + i * 60_000L;
            add(order, lines, requested, ev(id, "requested", requested, null));
            if (i % 50 == 13) {
                continue;
            }
            long assigned = requested + (i % 20 == 7 ? 90 : 10) * 60_000L;
            add(order, lines, assigned, ev(id, "assigned", assigned, null));
        }
        order.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        List<String> sorted = order.stream().map(o -> lines.get((int) o[1])).collect(Collectors.toList());
        // a heartbeat 1 s after the last assignment corroborates it: in arrival order a last event more than the
        // out-of-orderness after the one before it is a lone jump, held back at the end of the input
        sorted.add(ev("heartbeat", "noise", order.get(order.size() - 1)[0] + 1000, null));
        return sorted;
    }

    static LocalRun.Settings arrivalOrder(List<String> lines, String name) throws IOException {
        Path file = dir.resolve(name + ".jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        LocalRun.Settings s = settings(ASSIGNED, sqlite(name), Collections.singletonList(file));
        s.arrivalOrder = true;
        return s;
    }

    private static Baseline arrivalBaseline;

    static synchronized Baseline arrivalBaseline() throws Exception {
        if (arrivalBaseline == null) {
            arrivalBaseline = run(arrivalOrder(orderedCases(), "arrival-plain"));
            assertThat(arrivalBaseline.rows("lead_times")).hasSize(1960);
            for (String kind : new String[] {"TIMEOUT", "BREACH", "BURN_RATE_FIRING"}) {
                assertThat(arrivalBaseline.rows("alerts")).as(kind).anyMatch(r -> r.contains("|kind=" + kind + "|"));
            }
            assertThat(arrivalBaseline.rows("open_cases")).isNotEmpty();
            assertThat(arrivalBaseline.counter(PipelineCounters.LATE)).isZero();
        }
        return arrivalBaseline;
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"a week ahead", "2099", "epoch ms in a seconds field"})
    void oneEventFarAheadInTheMiddleChangesNoOtherCaseInArrivalOrder(String outlier) throws Exception {
        Baseline plain = arrivalBaseline();
        List<String> lines = new ArrayList<>(orderedCases());
        int middle = lines.size() / 2;
        String neighbour = lines.get(middle - 1).replaceAll(".*\"time\":\"([^\"]+)\".*", "$1");
        String time;
        switch (outlier) {
            case "a week ahead":
                time = "\"" + Instant.parse(neighbour).plus(Duration.ofDays(7)) + "\"";
                break;
            case "2099":
                time = "\"2099-01-01T00:00:00Z\"";
                break;
            default:
                time = "99999999999"; // milliseconds (1973) read as seconds: the year 5138
                break;
        }
        lines.add(middle, "{\"correlation_id\":\"p\",\"event_type\":\"noise\",\"time\":" + time + "}");
        Baseline with = run(arrivalOrder(lines, "arrival-" + outlier.replace(' ', '-')));

        // no case's result changes: no event is late, no deadline fires early, nothing else is open or closed
        assertThat(with.counter(PipelineCounters.LATE)).isZero();
        ResultTables.assertSame("one event " + outlier + " vs none", plain.tables, with.tables, "dead_letters");
        // the outlier itself is never applied: held back at the end of the input (a lone jump nothing corroborated),
        // or dead-lettered by the parser as outside the accepted range or too far ahead of its arrival
        List<String> ownDeadLetters = with.rows("dead_letters").stream()
                .filter(r -> !plain.rows("dead_letters").contains(r))
                .collect(Collectors.toList());
        assertThat(ownDeadLetters).allMatch(r -> r.contains("|reason=bad_time|") || r.contains("|reason=future_time|"));
        assertThat(with.rows("dead_letters")).containsAll(plain.rows("dead_letters"));
        assertThat(with.counter(PipelineCounters.HELD_BACK_AT_END) + ownDeadLetters.size())
                .isEqualTo(1);
        if (outlier.equals("a week ahead")) {
            // a valid time in the past: nothing to dead-letter, simply held back
            assertThat(with.counter(PipelineCounters.HELD_BACK_AT_END)).isEqualTo(1);
            assertThat(ownDeadLetters).isEmpty();
        }
    }

    /**
     * In arrival order lateness is a function of the lines alone: every 100th assignment moved 30 lines later (about
     * 15 min behind the watermark when it arrives, so late: dead-lettered, and applied as a late end), read fast at
     * parallelism 2 and slowed down at parallelism 4.
     */
    @Test
    void inArrivalOrderTheLateEventsDoNotDependOnReadSpeedOrParallelism() throws Exception {
        List<String> lines = new ArrayList<>(orderedCases());
        int moved = moveAssignmentsLate(lines);
        assertThat(moved).isGreaterThan(10);
        Baseline fast = run(arrivalOrder(lines, "arrival-late-fast"));
        assertThat(fast.counter(PipelineCounters.LATE)).isEqualTo(moved);
        assertThat(fast.rows("dead_letters")).hasSize(moved).allMatch(r -> r.contains("|reason=late|"));
        assertThat(fast.rows("lead_times")).anyMatch(r -> r.contains("|late=1|"));
        LocalRun.Settings s = arrivalOrder(lines, "arrival-late-slow");
        s.parallelism = 4;
        s.inputFormat = f -> new SlowFormat(f, 400, 250);
        ResultTables.assertSame("arrival order, slowed at parallelism 4 vs fast at 2", fast.tables, run(s).tables);
    }

    /**
     * Moves every assignment whose time text ends in "00" (every 100th) 30 lines later: about
     * 15 min behind the watermark when it arrives in arrival order, so late.
     *
     * @return how many were moved
     */
    static int moveAssignmentsLate(List<String> lines) {
        int moved = 0;
        for (int i = lines.size() - 40; i > 0; i--) {
            if (lines.get(i).contains("\"assigned\"") && lines.get(i).contains("00\",\"event_type")) {
                lines.add(i + 30, lines.remove(i));
                moved++;
            }
        }
        return moved;
    }

    /** A noise event a week after the time of the line before {@code index}, inserted there. */
    private static void insertWeekAhead(List<String> lines, int index, String id) {
        String neighbour = lines.get(index - 1).replaceAll(".*\"time\":\"([^\"]+)\".*", "$1");
        lines.add(
                index,
                ev(
                        id,
                        "noise",
                        Instant.parse(neighbour).plus(Duration.ofDays(7)).toEpochMilli(),
                        null));
    }

    /**
     * Two events a week ahead, a third and two thirds into the file (valid times, in the past: no guard dead-letters
     * them). Fails today: the first one stays among the clock's largest instants and corroborates the second, so the
     * watermark jumps a week ahead: 1,320 of 3,963 events late, 1,313 instead of 1,960 leads, every open case a
     * timeout.
     */
    @Test
    void twoEventsFarAheadAtDifferentPlacesChangeNoOtherCaseInArrivalOrder() throws Exception {
        Baseline plain = arrivalBaseline();
        List<String> lines = new ArrayList<>(orderedCases());
        int third = lines.size() / 3;
        insertWeekAhead(lines, 2 * third, "q");
        insertWeekAhead(lines, third, "p");
        Baseline with = run(arrivalOrder(lines, "arrival-two-outliers"));
        assertThat(with.counter(PipelineCounters.LATE))
                .as("late events; leads " + with.rows("lead_times").size() + " instead of "
                        + plain.rows("lead_times").size())
                .isZero();
        ResultTables.assertSame("two events a week ahead vs none", plain.tables, with.tables);
    }

    /**
     * Without the closing heartbeat the last assignment (case-1987, 20 min after the event before it) is a lone jump
     * at the end, held back: the case is open. Fails today: with one event a week ahead in the middle, that event
     * corroborates the last assignment, which is then applied (1,960 leads instead of 1,959).
     */
    @Test
    void anEarlierEventFarAheadDoesNotDecideWhetherTheLastEventIsAppliedInArrivalOrder() throws Exception {
        List<String> lines = new ArrayList<>(orderedCases());
        lines.remove(lines.size() - 1); // no heartbeat: the last assignment is a lone jump at the end
        Baseline plain = run(arrivalOrder(lines, "arrival-no-heartbeat"));
        insertWeekAhead(lines, lines.size() / 2, "p");
        Baseline with = run(arrivalOrder(lines, "arrival-no-heartbeat-week-ahead"));
        ResultTables.assertSame(
                "an event a week ahead in the middle vs none, without a heartbeat at the end",
                plain.tables,
                with.tables);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 5. aggregates by the outcome's own time, on a real log

    @Test
    void windowAggregatesCountEachLeadInTheWindowOfItsEndAndEachBreachInTheWindowOfItsDeadline_bpic2013()
            throws Exception {
        Path events = dir.resolve("bpic.jsonl");
        EventLogConverter.convert(
                SharedData.path("bpic2013_incidents_volvo_ibm.csv.gz"),
                events,
                EventLogOptions.builder()
                        .caseColumn("SR Number")
                        .activityColumn("Activity")
                        .timeColumn("Change Date+Time")
                        .build());
        MeasuresConfig m = MeasuresYaml.parse("measures:\n  - name: queued_to_accepted\n"
                + "    start: Queued-Awaiting Assignment\n    end: Accepted-In Progress\n"
                + "    slo: {threshold: PT1H, objective: 0.9, window: P28D}\n");
        String url = sqlite("bpic");
        LocalRun.run(settings(m, url, Collections.singletonList(events)), null);

        List<String[]> leads = query(url, "SELECT end_time, good, case_key FROM lead_times");
        List<String[]> breaches = query(url, "SELECT deadline, case_key FROM alerts WHERE kind = 'BREACH'");
        assertThat(leads).hasSize(4487);
        assertThat(breaches).isNotEmpty();
        // every bad lead was a breach first (decided once, at its deadline), so bad = breaches by deadline
        java.util.Set<String> breached = breaches.stream().map(b -> b[1]).collect(Collectors.toSet());
        assertThat(leads.stream().filter(l -> l[1].equals("0")).map(l -> l[2])).allMatch(breached::contains);
        for (Duration w : new Duration[] {Duration.ofHours(1), Duration.ofDays(1)}) {
            Map<Long, List<Long>> expected = new java.util.TreeMap<>(); // window start -> completed, good, bad
            for (String[] l : leads) {
                List<Long> c = expected.computeIfAbsent(windowStart(l[0], w), k -> Arrays.asList(0L, 0L, 0L));
                c.set(0, c.get(0) + 1);
                c.set(1, c.get(1) + (l[1].equals("1") ? 1 : 0));
            }
            for (String[] b : breaches) {
                List<Long> c = expected.computeIfAbsent(windowStart(b[0], w), k -> Arrays.asList(0L, 0L, 0L));
                c.set(2, c.get(2) + 1);
            }
            Map<Long, List<Long>> actual = new java.util.TreeMap<>();
            for (String[] a : query(
                    url,
                    "SELECT window_start, completed, good, bad FROM window_aggregates"
                            + " WHERE measure = 'queued_to_accepted' AND \"window\" = '" + w + "'")) {
                actual.put(
                        Instant.parse(a[0]).toEpochMilli(),
                        Arrays.asList(Long.parseLong(a[1]), Long.parseLong(a[2]), Long.parseLong(a[3])));
            }
            assertThat(actual)
                    .as("window_aggregates " + w + " against lead_times and breach alerts")
                    .isEqualTo(expected);
        }
    }

    private static long windowStart(String iso, Duration w) {
        long t = Instant.parse(iso).toEpochMilli();
        return Math.floorDiv(t, w.toMillis()) * w.toMillis();
    }

    private static List<String[]> query(String url, String sql) throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                String[] row = new String[n];
                for (int i = 0; i < n; i++) {
                    row[i] = rs.getString(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 6. a run's tables and summary are that run's

    static List<String> summary(LocalRun.Result r) {
        return r.lines.stream()
                .map(l -> l.measure + " " + l.kind + " measured=" + l.measured + " p50=" + l.p50Ms
                        + " p90=" + l.p90Ms + " p95=" + l.p95Ms + " timeouts=" + l.timeouts + " breaches=" + l.breaches
                        + " open=" + l.open)
                .collect(Collectors.toList());
    }

    @Test
    void aSecondRunIntoTheSameDatabaseHoldsAndSummarisesOnlyItsOwnInput() throws Exception {
        String url = sqlite("two-runs");
        LocalRun.Result first = LocalRun.run(arrivalOrder(orderedCases(), "two-runs"), null);
        assertThat(first.lines.get(0).measured).isPositive();
        Baseline second = run(richSettings(url));
        ResultTables.assertSame("second run into a used database vs a fresh one", rich().tables, second.tables);
        assertThat(second.rows("lead_times")).noneMatch(r -> r.contains("measure=assigned_lead_time|"));
        assertThat(summary(second.result)).isEqualTo(summary(rich().result));
    }
}
