package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.measures;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.file.JsonLinesFormat;
import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.ErrorBudget;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.WindowAggregate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real savepoints on the mini-cluster: a job reads part A of a log (cases opened, some finished), stops with a
 * savepoint, and a job with a CHANGED measures file restores it and reads part B. Measure state is keyed by the
 * measure's name, so reordering measures changes nothing, an added measure starts from the restore, a removed one's
 * state is dropped and counted, a changed timeout applies to the open cases. Also: the savepoint fixture committed in
 * {@code src/test/resources/savepoints/v1} (today's state format) restores, so a format change cannot slip in
 * unnoticed; regenerate it only for an intended change with
 * {@code mvn -pl job test -Dtest=SavepointRestoreTest -Dfc.savepoint.regenerate=true} (writes it under
 * {@code job/src/test/resources/savepoints/v1}); the per-correlation-id layout's fixture
 * ({@code savepoints/v1-per-correlation-id}) likewise with {@code -Dfc.savepoint.regenerate.per-correlation-id=true}.
 */
class SavepointRestoreTest {

    private static final String ASSIGN =
            "  - name: assign\n    start: requested\n    end: assigned\n    timeout: PT2H\n"
                    + "    slo: {threshold: PT15M, objective: 0.9, window: P1D}\n";
    private static final String CREATE = "  - name: create\n    start: requested\n    end: created\n";
    private static final MeasuresConfig BOTH = measures("measures:\n" + ASSIGN + CREATE);
    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
    private static final Path FIXTURE = Paths.get("src/test/resources/savepoints/v1");
    /** The same, written by the per-correlation-id layout ({@code state.layout=per_correlation_id}). */
    private static final Path FIXTURE_PER_CORRELATION_ID =
            Paths.get("src/test/resources/savepoints/v1-per-correlation-id");

    /** The state layout the jobs of a test run with. */
    private static PipelineOptions.StateLayout layout = PipelineOptions.StateLayout.PER_MEASURE;

    @org.junit.jupiter.api.AfterEach
    void defaultLayout() {
        layout = PipelineOptions.StateLayout.PER_MEASURE;
    }

    @TempDir
    static Path dir;

    static List<String> partA;
    static List<String> partB;
    /** The uninterrupted run over A then B with {@link #BOTH}. */
    static Result reference;

    /** What a job produced. */
    static final class Result {
        List<Measurement> measurements = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        List<ErrorBudget> budgets = new ArrayList<>();
        List<WindowAggregate> aggregates = new ArrayList<>();
        java.util.Map<String, Object> counters = new java.util.HashMap<>();
        /** Part A's result, when this is part B's. */
        Result before;
        /** The savepoint a part A job stopped with. */
        String savepoint;

        /** @return this result and the one before the restore together */
        Result withBefore() {
            Result r = new Result();
            r.measurements.addAll(before.measurements);
            r.measurements.addAll(measurements);
            r.alerts.addAll(before.alerts);
            r.alerts.addAll(alerts);
            return r;
        }

        /** @return the rows of one measure, comparable across runs */
        List<String> rows(String measure) {
            return measurements.stream()
                    .filter(m -> m.getMeasure().equals(measure))
                    .map(m -> m.getCaseKey() + "|" + m.getCycle() + "|" + m.valueAsLong() + "|" + m.getGood() + "|"
                            + m.isAfterTimeout() + "|" + m.isLate())
                    .sorted()
                    .collect(Collectors.toList());
        }

        /**
         * Alerts up to the log's last event: a bounded run's end releases burn-rate evaluations after it, which a
         * job that keeps running has not reached yet.
         */
        List<String> alertRows(String measure) {
            long end = T0.plus(Duration.ofMinutes(300)).toEpochMilli();
            return alerts.stream()
                    .filter(a -> measure.equals(a.getMeasure()) && a.getDeadlineMs() <= end)
                    .map(a -> a.getAlertId() + "|" + a.getDeadlineMs() + "|" + a.getObservedLeadMs())
                    .sorted()
                    .collect(Collectors.toList());
        }

        /** Burn-rate alerts of a measure up to the log's last event (see {@link #alertRows}). */
        List<String> burnRateRows(String measure) {
            return alertRows(measure).stream()
                    .filter(a -> a.contains("/burn-rate/"))
                    .collect(Collectors.toList());
        }

        /** Error budgets of a measure up to the log's last event: time, good and bad outcomes in the SLO window. */
        List<String> budgetRows(String measure) {
            long end = T0.plus(Duration.ofMinutes(300)).toEpochMilli();
            return budgets.stream()
                    .filter(b -> measure.equals(b.getMeasure()) && b.getTimeMs() <= end)
                    .map(b -> b.getTimeMs() + "|" + b.getGood() + "|" + b.getBad())
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    /** The SLO aggregates of a measure: window, start, completed, good, bad, p50. */
    private static List<String> aggregateRows(Result r, String measure) {
        return r.aggregates.stream()
                .filter(g -> measure.equals(g.getMeasure()))
                .map(g -> g.getWindow() + "|" + g.getWindowStartMs() + "|" + g.getCompleted() + "|" + g.getGood() + "|"
                        + g.getBad() + "|" + g.getP50())
                .sorted()
                .collect(Collectors.toList());
    }

    /**
     * The SLO windows open at the savepoint (written by Flink's window operator when the fixture was made, restored
     * into {@link SloWindowOperator}) fire after the restore with every outcome before it: each window row of part B
     * is the reference's, the hour that holds part A's ten leads among them.
     */
    private static void assertWindowsOpenAtTheSavepointContinue(Result b) {
        assertThat(aggregateRows(reference, "assign")).anyMatch(g -> g.startsWith(FIRST_HOUR));
        assertThat(aggregateRows(b, "assign"))
                .anyMatch(g -> g.startsWith(FIRST_HOUR))
                .isSubsetOf(aggregateRows(reference, "assign"));
    }

    /** The start of the row of the first hour's window of "assign", which holds part A's ten leads. */
    private static final String FIRST_HOUR = "PT1H|" + T0.toEpochMilli() + "|10|";

    /** @return whether the first hour's window of "assign" has fired */
    private static boolean firstHourFired(Result r) {
        return aggregateRows(r, "assign").stream().anyMatch(g -> g.startsWith(FIRST_HOUR));
    }

    private static String time(String line) {
        return line.substring(line.indexOf("\"time\":\"") + 8);
    }

    private static String ev(String id, String type, long minutes) {
        return "{\"correlation_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"time\":\""
                + T0.plus(Duration.ofMinutes(minutes)) + "\"}";
    }

    @BeforeAll
    static void log() throws Exception {
        // A: 20 cases requested; c0..c9 assigned within A (10 min after the request)
        partA = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            partA.add(ev("c" + i, "requested", i));
            if (i < 10) {
                partA.add(ev("c" + i, "assigned", i + 10));
            }
        }
        partA.sort(java.util.Comparator.comparing(SavepointRestoreTest::time)); // stable: in event-time order
        partA.add(ev("tick", "noise", 40)); // moves the watermark past A's last events
        partA.add(ev("tock", "noise", 40).replace("00Z", "01Z")); // another case: corroborated time moves
        // B: c10..c19 assigned 60 min in, every case created 90 min in, then time moves on 5 hours
        partB = new ArrayList<>();
        for (int i = 10; i < 20; i++) {
            partB.add(ev("c" + i, "assigned", 60 + i));
        }
        for (int i = 0; i < 20; i++) {
            partB.add(ev("c" + i, "created", 90 + i));
        }
        partB.add(ev("tick", "noise", 300));
        partB.add(ev("tock", "noise", 300).replace("00Z", "01Z"));
        Path both = Files.createDirectories(dir.resolve("reference"));
        List<String> all = new ArrayList<>(partA);
        all.addAll(partB);
        Files.write(both.resolve("log.jsonl"), all, StandardCharsets.UTF_8);
        reference = runToCompletion(both, BOTH);
        assertThat(reference.rows("assign")).hasSize(20);
        assertThat(reference.rows("create")).hasSize(20);
    }

    // ---- jobs

    private static FlightControllerTopology.Outputs topology(
            StreamExecutionEnvironment env, Path input, MeasuresConfig m, boolean continuous) {
        FileSource.FileSourceBuilder<ParsedRecord> b = FileSource.forRecordStreamFormat(
                new JsonLinesFormat(new EventParser()), new org.apache.flink.core.fs.Path(input.toUri()));
        if (continuous) {
            b.monitorContinuously(Duration.ofMillis(100));
        }
        PipelineOptions options = PipelineOptions.builder(m)
                .caseRetention(Duration.ofDays(1))
                .stateLayout(layout)
                .build();
        DataStream<ParsedRecord> in = env.fromSource(
                        b.build(), FlightControllerTopology.fileWatermarkStrategy(options), "events")
                .uid("source-files")
                .setParallelism(1);
        return FlightControllerTopology.build(in, options);
    }

    private static Result runToCompletion(Path input, MeasuresConfig m) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        String tag = UUID.randomUUID() + "/";
        FlightControllerTopology.Outputs out = topology(env, input, m, false);
        out.measurements.sinkTo(new CollectSink<>(tag + "m")).uid("collect-m");
        out.alerts.sinkTo(new CollectSink<>(tag + "a")).uid("collect-a");
        out.errorBudgets.sinkTo(new CollectSink<>(tag + "b")).uid("collect-b");
        out.aggregates.sinkTo(new CollectSink<>(tag + "g")).uid("collect-g");
        env.execute("reference");
        return collected(tag);
    }

    private static Result collected(String tag) {
        Result r = new Result();
        r.measurements = CollectSink.get(tag + "m");
        r.alerts = CollectSink.get(tag + "a");
        r.budgets = CollectSink.get(tag + "b");
        r.aggregates = CollectSink.get(tag + "g");
        return r;
    }

    /** Runs continuously on {@code input}, waits for A's leads, stops with a savepoint; its path and A's result. */
    private static Result runAndSavepoint(Path input, MeasuresConfig m, Path savepoints) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        String tag = UUID.randomUUID() + "/";
        FlightControllerTopology.Outputs out = topology(env, input, m, true);
        out.measurements.sinkTo(new CollectSink<>(tag + "m")).uid("collect-m");
        out.alerts.sinkTo(new CollectSink<>(tag + "a")).uid("collect-a");
        out.errorBudgets.sinkTo(new CollectSink<>(tag + "b")).uid("collect-b");
        out.aggregates.sinkTo(new CollectSink<>(tag + "g")).uid("collect-g");
        JobClient job = env.executeAsync("part A");
        // A's ten assigned leads are applied once the watermark passes them
        await(() -> collected(tag).rows("assign").size() == 10, job);
        String path = null;
        for (int attempt = 1; path == null; attempt++) {
            try {
                path = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (attempt == 20) {
                    throw e;
                }
                Thread.sleep(500); // a subtask still starting ("not all required tasks are currently running")
            }
        }
        Result a = collected(tag);
        a.savepoint = path;
        return a;
    }

    /** Restores part A's savepoint with measures {@code m} on {@code input} (part B), until {@code done}. */
    private static Result restore(
            Result partA, Path input, MeasuresConfig m, boolean rocksDb, java.util.function.Predicate<Result> done)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, partA.savepoint);
        if (rocksDb) {
            conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        String tag = UUID.randomUUID() + "/";
        FlightControllerTopology.Outputs out = topology(env, input, m, true);
        out.measurements.sinkTo(new CollectSink<>(tag + "m")).uid("collect-m");
        out.alerts.sinkTo(new CollectSink<>(tag + "a")).uid("collect-a");
        out.errorBudgets.sinkTo(new CollectSink<>(tag + "b")).uid("collect-b");
        out.aggregates.sinkTo(new CollectSink<>(tag + "g")).uid("collect-g");
        JobClient job = env.executeAsync("part B");
        try {
            await(
                    () -> {
                        Result r = collected(tag);
                        try {
                            r.counters = job.getAccumulators().get();
                        } catch (Exception e) {
                            return false;
                        }
                        return done.test(r);
                    },
                    job);
            Thread.sleep(500); // nothing more should arrive; give a wrong extra row the chance to show
            Result r = collected(tag);
            r.counters = job.getAccumulators().get();
            r.before = partA;
            return r;
        } finally {
            job.cancel().get();
        }
    }

    private static void await(BooleanSupplier done, JobClient job) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError(
                        "timed out; job status " + job.getJobStatus().get());
            }
            Thread.sleep(50);
        }
    }

    private static Path folder(String name, List<String> lines) {
        try {
            Path d = Files.createDirectories(dir.resolve(name));
            Files.write(d.resolve(name + ".jsonl"), lines, StandardCharsets.UTF_8);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Part A into a savepoint with {@link #BOTH}. */
    private static Result savepointOfPartA(String name) throws Exception {
        return runAndSavepoint(folder(name + "-a", partA), BOTH, dir.resolve(name + "-savepoints"));
    }

    // ---- the rules

    @Test
    void reorderingTheMeasuresBetweenASavepointAndItsRestoreChangesNoResultAlsoOnRocksDb() throws Exception {
        Result a = savepointOfPartA("reorder");
        MeasuresConfig reordered = measures("measures:\n" + CREATE + ASSIGN);
        Result b = restore(
                a,
                folder("reorder-b", partB),
                reordered,
                true,
                r -> r.rows("create").size() == 20
                        && r.rows("assign").size() == 10
                        && r.budgetRows("assign").size()
                                == reference.budgetRows("assign").size()
                        && firstHourFired(r));
        Result whole = b.withBefore();
        for (String measure : new String[] {"assign", "create"}) {
            assertThat(whole.rows(measure)).as(measure).isEqualTo(reference.rows(measure));
            assertThat(whole.alertRows(measure)).as(measure).isEqualTo(reference.alertRows(measure));
        }
        // the burn-rate buckets of A came through the savepoint into RocksDB: every hourly budget of B counts them
        assertThat(b.budgetRows("assign")).isNotEmpty().isEqualTo(reference.budgetRows("assign"));
    }

    @Test
    void anAddedMeasureMeasuresFromTheRestoreOnAndTheOthersAreUnchanged() throws Exception {
        Result a = savepointOfPartA("add");
        String added = "  - name: assign_to_create\n    start: assigned\n    end: created\n";
        Result b = restore(
                a,
                folder("add-b", partB),
                measures("measures:\n" + added + ASSIGN + CREATE),
                false,
                r -> r.rows("create").size() == 20
                        && r.rows("assign").size() == 10
                        && r.rows("assign_to_create").size() == 10);
        Result whole = b.withBefore();
        assertThat(whole.rows("create")).isEqualTo(reference.rows("create"));
        assertThat(whole.rows("assign")).isEqualTo(reference.rows("assign"));
        // only cases assigned after the restore (c10..c19) start the new measure; A's assigned events went before it
        assertThat(b.rows("assign_to_create"))
                .allMatch(row -> Integer.parseInt(row.substring(1, row.indexOf('|'))) >= 10)
                .hasSize(10);
    }

    @Test
    void aRemovedMeasuresStateIsDroppedAndCountedWhileTheOthersAreUnchanged() throws Exception {
        Result a = savepointOfPartA("remove");
        Result b = restore(
                a,
                folder("remove-b", partB),
                measures("measures:\n" + CREATE),
                false,
                r -> r.rows("create").size() == 20
                        && ((Number) r.counters.getOrDefault(PipelineCounters.STATE_OF_REMOVED_MEASURE, 0L)).longValue()
                                >= 10);
        assertThat(b.withBefore().rows("create")).isEqualTo(reference.rows("create"));
        assertThat(b.rows("assign")).isEmpty();
        // the ten open assign cases' deadlines (start + PT2H) pass in B: their states go, counted
        assertThat(((Number) b.counters.get(PipelineCounters.STATE_OF_REMOVED_MEASURE)).longValue())
                .isEqualTo(10);
    }

    /** The rules above, in the per-correlation-id layout: its cases are keyed by measure name too. */
    @Test
    void inThePerCorrelationIdLayoutReorderedAndRemovedMeasuresRestoreAsInThePerMeasureOne() throws Exception {
        layout = PipelineOptions.StateLayout.PER_CORRELATION_ID;
        Result a = savepointOfPartA("layout-reorder");
        Result b = restore(
                a,
                folder("layout-reorder-b", partB),
                measures("measures:\n" + CREATE + ASSIGN),
                true,
                r -> r.rows("create").size() == 20
                        && r.rows("assign").size() == 10
                        && r.budgetRows("assign").size()
                                == reference.budgetRows("assign").size()
                        && firstHourFired(r));
        Result whole = b.withBefore();
        for (String measure : new String[] {"assign", "create"}) {
            assertThat(whole.rows(measure)).as(measure).isEqualTo(reference.rows(measure));
            assertThat(whole.alertRows(measure)).as(measure).isEqualTo(reference.alertRows(measure));
        }
        assertThat(b.budgetRows("assign")).isNotEmpty().isEqualTo(reference.budgetRows("assign"));

        Result removedFrom = savepointOfPartA("layout-remove");
        Result c = restore(
                removedFrom,
                folder("layout-remove-b", partB),
                measures("measures:\n" + CREATE),
                false,
                r -> r.rows("create").size() == 20
                        && ((Number) r.counters.getOrDefault(PipelineCounters.STATE_OF_REMOVED_MEASURE, 0L)).longValue()
                                >= 10);
        assertThat(c.withBefore().rows("create")).isEqualTo(reference.rows("create"));
        assertThat(c.rows("assign")).isEmpty();
        assertThat(((Number) c.counters.get(PipelineCounters.STATE_OF_REMOVED_MEASURE)).longValue())
                .isEqualTo(10);
    }

    /**
     * In the per-correlation-id layout, a measure whose new definition the operator no longer holds (here it became a
     * sequence, which runs on flink-cep) starts afresh in its new operator: its open cases in the per-id state are
     * dropped when they next wake and counted ({@code state_of_removed_measure}), never applied to the new
     * definition, and the other measures' results are unchanged.
     */
    @Test
    void inThePerCorrelationIdLayoutAMeasureThatLeavesTheOperatorStartsAfreshAndItsOldCasesAreCounted()
            throws Exception {
        layout = PipelineOptions.StateLayout.PER_CORRELATION_ID;
        Result a = savepointOfPartA("layout-leaves");
        String assignAsSequence = "  - name: assign\n    kind: sequence\n    steps:\n      - event: requested\n"
                + "      - event: assigned\n        within: PT2H\n";
        Result b = restore(
                a,
                folder("layout-leaves-b", partB),
                measures("measures:\n" + assignAsSequence + CREATE),
                false,
                r -> r.rows("create").size() == 20
                        && ((Number) r.counters.getOrDefault(PipelineCounters.STATE_OF_REMOVED_MEASURE, 0L)).longValue()
                                >= 10);
        assertThat(b.withBefore().rows("create")).isEqualTo(reference.rows("create"));
        // c10..c19 were requested before the savepoint: the sequence never saw their first step
        assertThat(b.rows("assign")).isEmpty();
        assertThat(((Number) b.counters.get(PipelineCounters.STATE_OF_REMOVED_MEASURE)).longValue())
                .isEqualTo(10);
    }

    @Test
    void aChangedTimeoutAppliesToTheCasesOpenAtTheSavepoint() throws Exception {
        Result a = savepointOfPartA("timeout");
        MeasuresConfig shorter = measures("measures:\n" + ASSIGN.replace("PT2H", "PT30M") + CREATE);
        Result b = restore(
                a,
                folder("timeout-b", partB),
                shorter,
                false,
                r -> r.rows("assign").size() == 10
                        && r.alertRows("assign").stream()
                                        .filter(x -> x.contains("/timeout|"))
                                        .count()
                                == 10);
        // c10..c19 were open at the savepoint: they time out 30 min after their request, and their late
        // assignment (60 min in) is a correction
        assertThat(b.alerts.stream()
                        .filter(x -> x.getKind() == Alert.Kind.TIMEOUT)
                        .map(Alert::getObservedLeadMs))
                .containsOnly(30 * 60_000L)
                .hasSize(10);
        assertThat(b.measurements)
                .filteredOn(m -> m.getMeasure().equals("assign"))
                .allMatch(Measurement::isAfterTimeout);
    }

    @Test
    void theCommittedSavepointOfTodaysStateFormatRestores() throws Exception {
        Path fixture = FIXTURE.toAbsolutePath();
        regenerateIfAsked(fixture, "fc.savepoint.regenerate");
        Result b = restoreFixture(fixture);
        // the v1 fixture holds the burn-rate state as one value (the layout before the bucket entries; a regenerated
        // fixture would not, BurnRateFunctionTest covers that move too): moved on restore, the SLO window continues
        // exactly (every hourly budget counts A's outcomes, and the rules fire as they would have without the stop)
        assertThat(reference.budgetRows("assign")).isNotEmpty();
        assertThat(b.budgetRows("assign")).isEqualTo(reference.budgetRows("assign"));
        // (the ticket rule fired in A, 27 min in, and still fires at the log's end: restored as firing, it neither
        // fires a second time nor resolves; a rule that changes after A's last event does so as in the reference)
        long afterA = T0.plus(Duration.ofMinutes(40)).plusSeconds(1).toEpochMilli();
        assertThat(reference.burnRateRows("assign")).anyMatch(x -> x.contains("/ticket:") && x.contains("/firing|"));
        assertThat(b.burnRateRows("assign"))
                .isSubsetOf(reference.burnRateRows("assign"))
                .containsAll(reference.burnRateRows("assign").stream()
                        .filter(x -> Long.parseLong(x.split("\\|")[1]) > afterA)
                        .collect(Collectors.toList()));
        assertWindowsOpenAtTheSavepointContinue(b);
    }

    /**
     * The committed savepoint of the per-correlation-id layout (its {@link CorrelationCases} format, regenerated as
     * the v1 fixture is) restores: part B then yields what the per-measure reference does after part A.
     */
    @Test
    void theCommittedSavepointOfThePerCorrelationIdLayoutRestores() throws Exception {
        layout = PipelineOptions.StateLayout.PER_CORRELATION_ID;
        Path fixture = FIXTURE_PER_CORRELATION_ID.toAbsolutePath();
        regenerateIfAsked(fixture, "fc.savepoint.regenerate.per-correlation-id");
        Result b = restoreFixture(fixture);
        assertThat(b.budgetRows("assign")).isEqualTo(reference.budgetRows("assign"));
        assertWindowsOpenAtTheSavepointContinue(b);
    }

    /**
     * Keyed state cannot move between the layouts' operators: a savepoint of the per-measure layout (the v1 fixture)
     * does not start a per-correlation-id job. It fails at start, naming the state it has no place for, rather than
     * run on without the open cases.
     */
    @Test
    void aSavepointOfThePerMeasureLayoutFailsToStartAPerCorrelationIdJob() throws Exception {
        layout = PipelineOptions.StateLayout.PER_CORRELATION_ID;
        Configuration conf = new Configuration();
        conf.set(
                StateRecoveryOptions.SAVEPOINT_PATH,
                FIXTURE.toAbsolutePath().toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        FlightControllerTopology.Outputs out = topology(env, folder("mismatch-b", partB), BOTH, false);
        out.measurements.sinkTo(new CollectSink<>(UUID.randomUUID() + "/m")).uid("collect-m");
        Throwable failure = null;
        try {
            env.execute("per-measure savepoint, per-correlation-id job");
        } catch (Exception e) {
            failure = e;
        }
        assertThat(failure).as("the job must not start").isNotNull();
        StringBuilder causes = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            causes.append(t.getMessage()).append('\n');
        }
        assertThat(causes.toString()).contains("Cannot map checkpoint/savepoint state");
    }

    private static void regenerateIfAsked(Path fixture, String property) throws Exception {
        if (Boolean.getBoolean(property)) {
            String sp = savepointOfPartA("fixture-" + fixture.getFileName()).savepoint;
            try (Stream<Path> old = Files.exists(fixture) ? Files.walk(fixture) : Stream.empty()) {
                old.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
            Path from = Paths.get(java.net.URI.create(sp));
            try (Stream<Path> files = Files.walk(from)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path to = fixture.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                }
            }
        }
    }

    /** Restores a fixture of part A and reads part B; asserts the leads part B yields after part A. */
    private static Result restoreFixture(Path fixture) throws Exception {
        assertThat(fixture.resolve("_metadata")).as("savepoint fixture").exists();
        Result fromFixture = new Result();
        fromFixture.savepoint = fixture.toUri().toString();
        Result b = restore(
                fromFixture,
                folder("fixture-b", partB),
                BOTH,
                false,
                r -> r.rows("create").size() == 20
                        && r.rows("assign").size() == 10
                        && r.budgetRows("assign").size()
                                == reference.budgetRows("assign").size()
                        && firstHourFired(r));
        // what part B yields after the fixture's part A: the reference minus A's ten assign leads and A's alerts
        assertThat(b.rows("create")).isEqualTo(reference.rows("create"));
        assertThat(b.rows("assign"))
                .isEqualTo(reference.rows("assign").stream()
                        .filter(row -> Integer.parseInt(row.substring(1, row.indexOf('|'))) >= 10)
                        .collect(Collectors.toList()));
        return b;
    }

    /**
     * A source whose position is not restored (the Kinesis source on Flink 2: README, "Flink 2") starts before the
     * savepoint and reads again what the savepoint's job had read: here all of part A ahead of part B. The
     * de-duplication state in the savepoint drops every event read again that a measure uses (counted as duplicates),
     * so the results are those of a restore that reads only part B. Restored on RocksDB, Managed Flink's backend.
     */
    @Test
    void recordsReadAgainAfterARestoreAreDroppedAsDuplicatesAndChangeNoResult() throws Exception {
        Result fromFixture = new Result();
        fromFixture.savepoint = FIXTURE.toAbsolutePath().toUri().toString();
        List<String> again = new ArrayList<>(partA);
        again.addAll(partB);
        Result b = restore(
                fromFixture,
                folder("overlap-b", again),
                BOTH,
                true,
                r -> r.rows("create").size() == 20
                        && r.rows("assign").size() == 10
                        // the accumulators of a running job arrive with the task managers' heartbeats
                        && ((Number) r.counters.getOrDefault(PipelineCounters.RECORDS_IN, 0L)).longValue()
                                == again.size()
                        && firstHourFired(r));
        // every event read again that a measure uses is a duplicate; of the two unmeasured "noise" events the
        // savepoint's job may not have remembered the last (it does not matter: nothing measures them)
        long measured =
                partA.stream().filter(line -> !line.contains("\"noise\"")).count();
        assertThat(((Number) b.counters.getOrDefault(PipelineCounters.DUPLICATE, 0L)).longValue())
                .as("counters %s", b.counters)
                .isBetween(measured, (long) partA.size());
        assertThat(b.rows("create")).isEqualTo(reference.rows("create"));
        assertThat(b.rows("assign"))
                .isEqualTo(reference.rows("assign").stream()
                        .filter(row -> Integer.parseInt(row.substring(1, row.indexOf('|'))) >= 10)
                        .collect(Collectors.toList()));
        assertWindowsOpenAtTheSavepointContinue(b); // on RocksDB here
    }
}
