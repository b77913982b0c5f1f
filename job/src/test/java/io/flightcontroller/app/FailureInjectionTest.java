package io.flightcontroller.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flightcontroller.adapters.JsonLinesDeadLetterHandler;
import io.flightcontroller.adapters.file.EventTimeSorter;
import io.flightcontroller.adapters.file.JsonLinesFileSink;
import io.flightcontroller.adapters.file.JsonLinesFormat;
import io.flightcontroller.adapters.jdbc.JdbcOutputs;
import io.flightcontroller.adapters.jdbc.JdbcTables;
import io.flightcontroller.adapters.metrics.MetricPointStreams;
import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.adapters.sns.SnsAlertSink;
import io.flightcontroller.adapters.timestream.TimestreamSink;
import io.flightcontroller.config.RuntimePropertyKeys;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.pipeline.FlightControllerTopology;
import io.flightcontroller.pipeline.PipelineOptions;
import io.flightcontroller.pipeline.PipelineOptions.StateLayout;
import io.flightcontroller.testing.MotoServer;
import io.flightcontroller.testing.ResultTables;
import io.flightcontroller.testing.StateBackends;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.timestreamwrite.TimestreamWriteClient;

/**
 * Issue 13 point 5: failures injected into the job as the local run wires it (the file source over the input sorted
 * by event time, {@link FlightControllerTopology}, the JDBC tables in SQLite, the alerts and dead-letter files, alerts
 * to SNS, and every output as points to Timestream, the last two on moto), on a mini-cluster of two task managers
 * with one slot each, checkpoints every {@value #CHECKPOINT_MS} ms and a fixed-delay restart strategy, with state on
 * the heap and in RocksDB. Two failures, each once, after the first completed checkpoint: a task failure (a
 * test-only map after the source throws at a random record, seeded and printed) and a lost task manager
 * ({@link MiniCluster#terminateTaskManager}, then a fresh one, at a random record). The job restarts from the last
 * completed checkpoint, and its results are compared with a failure-free run's:
 *
 * <ul>
 *   <li>every JDBC table identical (upserts rewrite the replayed rows with the same values);
 *   <li>the Timestream records identical but for their version (replayed records are rewritten with a higher one),
 *       except that a dead letter without an event time read after the checkpoint is there twice (its point gets the
 *       wall-clock time): exactly those;
 *   <li>every alert on SNS at least once, and exactly the alerts published after the last completed checkpoint and
 *       before the failure published twice: the count of duplicates is predicted from the run (moto's notifications
 *       when each SNS writer took its checkpoint, and at the restart) and compared with what moto got;
 *   <li>the alerts and dead-letter files identical (the restored writers cut what came after the checkpoint); no
 *       dead letter lost or added on any sink; nothing dead-lettered by SNS or Timestream.
 * </ul>
 *
 * <p>The figures (where the failure was, the checkpoint restored, alerts emitted to SNS after it, duplicates, file
 * lines cut, Timestream records rewritten) are printed on one line per run, {@code failure injection: ...}.
 */
class FailureInjectionTest {

    static final long CHECKPOINT_MS = 200;
    /** Pause of the test map per record: the input lasts a few seconds, so checkpoints complete while it is read. */
    static final long PAUSE_PER_RECORD_MS = 2;
    /** Seed of the failure positions; {@code -Dfc.failure.seed=N} replays another draw. */
    static final long SEED = Long.getLong("fc.failure.seed", 20261201L);

    enum Failure {
        NONE,
        TASK,
        TASK_MANAGER
    }

    @TempDir
    static Path dir;

    static MotoServer sns;
    static MotoServer timestream;
    static MeasuresConfig measures;
    static Path sorted;
    static long records;
    /**
     * Record numbers (1-based) in the sorted input of the dead letters without an event time (unreadable lines):
     * their Timestream points get the wall-clock time, so one replayed after a restart is a second record.
     */
    static List<Long> deadLettersWithoutTime;

    static Outcome reference;

    /** What the test's operators record of one run, by run name (the mini-cluster runs in this JVM). */
    static final Map<String, RunState> RUNS = new ConcurrentHashMap<>();

    static final class RunState {
        final String name;
        final Failure failure;
        final long failAt;
        final String topicArn;
        final String table;
        final AtomicLong completed = new AtomicLong(-1);
        final AtomicBoolean injected = new AtomicBoolean();
        volatile long injectedAtRecord = -1;
        volatile long completedAtInjection = -1;
        final CountDownLatch loseTaskManager = new CountDownLatch(1);
        /** Alerts handed to the SNS writers: attempt, subtask, alert id, last checkpoint barrier seen before it. */
        final List<Object[]> passes = Collections.synchronizedList(new ArrayList<>());
        /** Alert ids on the SNS topic when a writer subtask took checkpoint n: key "subtask@n", first attempt. */
        final Map<String, List<String>> publishedAtBarrier = new ConcurrentHashMap<>();

        final AtomicLong restoredFrom = new AtomicLong(-1);
        /** Records read when checkpoint n was taken, first attempt. */
        final Map<Long, Long> positionAt = new ConcurrentHashMap<>();

        final AtomicInteger lastAttempt = new AtomicInteger();
        final AtomicBoolean restartSeen = new AtomicBoolean();
        volatile List<String> publishedAtRestart;
        volatile Map<String, Long> timestreamAtRestart;

        RunState(String name, Failure failure, long failAt, String topicArn, String table) {
            this.name = name;
            this.failure = failure;
            this.failAt = failAt;
            this.topicArn = topicArn;
            this.table = table;
        }
    }

    /** What one run left behind. */
    static final class Outcome {
        RunState state;
        Map<String, List<String>> tables;
        /** SNS notifications in the order moto got them: alert id (from the body), attributes (JSON). */
        List<String[]> notifications;
        /** Timestream records: normalized record (no version) -> version. */
        List<String> timestreamRecords;

        Map<String, Long> timestreamVersions;
        List<String> alertsFile;
        List<String> deadLetterFile;
        long alertsFileLinesCut;
        List<String> snsDeadLetters;
        List<String> timestreamDeadLetters;

        List<String> ids() {
            return notifications.stream().map(n -> n[0]).collect(Collectors.toList());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        sns = MotoServer.start();
        timestream = MotoServer.start();
        try (TimestreamWriteClient admin = timestreamAdmin()) {
            admin.createDatabase(b -> b.databaseName("fc"));
        }
        measures = MeasuresYaml.read(DeterministicReplayTest.repo("job/src/main/resources/measures.yaml"));
        // the sample (bad lines, late corrections, sequences) and 150 generated project and 40 identity cases
        Path generated = dir.resolve("generated.jsonl");
        Files.write(generated, DeterministicReplayTest.generatedCases(150, 40, 13L), StandardCharsets.UTF_8);
        EventTimeSorter.Result s = new EventTimeSorter()
                .sort(Arrays.asList(DeterministicReplayTest.repo("sample-data/events.jsonl"), generated), dir);
        sorted = s.paths().get(0);
        records = s.lines();
        deadLettersWithoutTime = new ArrayList<>();
        List<String> lines = Files.readAllLines(sorted, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            ParsedRecord p = new EventParser().parse(lines.get(i));
            if (p.getDeadLetter() != null && p.getDeadLetter().getEventTimeMs() == null) {
                deadLettersWithoutTime.add(i + 1L);
            }
        }
        assertThat(deadLettersWithoutTime).isNotEmpty();
        reference = run("reference", StateBackends.HEAP, Failure.NONE, 0, StateLayout.PER_MEASURE);
        // a reference that exercises every sink: otherwise comparing it proves little
        assertThat(reference.tables.get("lead_times")).hasSizeGreaterThan(300);
        assertThat(reference.tables.get("dead_letters")).isNotEmpty();
        assertThat(reference.notifications).hasSizeGreaterThan(20);
        assertThat(new HashSet<>(reference.ids())).hasSameSizeAs(reference.ids()); // each alert once
        assertThat(reference.timestreamRecords).hasSizeGreaterThan(500);
        assertThat(reference.alertsFile).hasSameSizeAs(reference.notifications);
    }

    @AfterAll
    static void stop() {
        for (MotoServer m : new MotoServer[] {sns, timestream}) {
            if (m != null) {
                m.close();
            }
        }
    }

    /**
     * Both failures on both backends in the default state layout, and a lost task manager on RocksDB in the
     * per-correlation-id layout (compared with the same failure-free run: both layouts write the same rows).
     */
    static Stream<Arguments> failuresAndBackends() {
        return Stream.concat(
                Stream.of(Failure.TASK, Failure.TASK_MANAGER)
                        .flatMap(f -> StateBackends.both().map(b -> Arguments.of(f, b, StateLayout.PER_MEASURE))),
                Stream.of(Arguments.of(Failure.TASK_MANAGER, StateBackends.ROCKSDB, StateLayout.PER_CORRELATION_ID)));
    }

    @ParameterizedTest(name = "{0} on {1}, {2}")
    @MethodSource("failuresAndBackends")
    void
            aFailureAfterACheckpointLeavesEverySinkAsAFailureFreeRunButSnsWithExactlyTheAlertsPublishedSinceTheCheckpointTwice(
                    Failure failure, String backend, StateLayout layout) throws Exception {
        Random rnd = new Random(SEED + failure.ordinal() * 31L + backend.hashCode() + layout.ordinal() * 7L);
        long failAt = records / 5 + (long) (rnd.nextDouble() * records * 3 / 5);
        String name = failure + "-" + backend + (layout == StateLayout.PER_MEASURE ? "" : "-by-id");
        Outcome r = run(name, backend, failure, failAt, layout);
        RunState st = r.state;

        // the failure happened once, after a completed checkpoint, and the job restarted once from the last one
        assertThat(st.injected).as("failure injected").isTrue();
        assertThat(st.completedAtInjection)
                .as("checkpoints completed before the failure")
                .isPositive();
        assertThat(st.lastAttempt.get()).as("restarts").isEqualTo(1);
        long restored = st.restoredFrom.get();
        assertThat(restored).as("checkpoint restored").isPositive();

        // JDBC: every table as after a failure-free run
        ResultTables.assertSame(failure + " on " + backend + " vs no failure", reference.tables, r.tables);

        // Timestream: the same records; the replayed ones written again with a higher version, but a replayed dead
        // letter without an event time (written at the wall-clock time) is a second record
        long position = st.positionAt.get(restored);
        long deadLettersTwice =
                deadLettersWithoutTime.stream().filter(n -> n > position).count();
        assertThat(sortedCopy(withoutDeadLetters(r.timestreamRecords)))
                .as("Timestream records but dead letters")
                .isEqualTo(sortedCopy(withoutDeadLetters(reference.timestreamRecords)));
        assertThat(new HashSet<>(r.timestreamRecords))
                .as("Timestream records but their version and time")
                .isEqualTo(new HashSet<>(reference.timestreamRecords));
        assertThat(r.timestreamRecords.size() - reference.timestreamRecords.size())
                .as("Timestream dead letters without an event time read after the checkpoint (at record " + position
                        + "), written again")
                .isEqualTo(deadLettersTwice);
        long rewritten = st.timestreamAtRestart.entrySet().stream()
                .filter(e -> r.timestreamVersions.getOrDefault(e.getKey(), 0L) > e.getValue())
                .count();

        // SNS: every alert at least once ...
        List<String> ids = r.ids();
        assertThat(new HashSet<>(ids)).as("alert ids on SNS").isEqualTo(new HashSet<>(reference.ids()));
        assertThat(ids).doesNotContainNull();
        // ... alert_id in the body; as a message attribute when the sink sets one
        assertAlertIdAttributes(r.notifications);
        // ... and twice exactly those published after the writers' checkpoint `restored`, before the failure
        Set<String> publishedBeforeCheckpoint = new HashSet<>();
        Set<String> handedBeforeCheckpoint = new HashSet<>();
        Set<String> handedAfterCheckpoint = new HashSet<>();
        Set<String> replayed = new HashSet<>();
        Map<Integer, Set<String>> handedBySubtask = new HashMap<>();
        synchronized (st.passes) {
            for (Object[] p : st.passes) {
                int attempt = (Integer) p[0];
                String id = (String) p[2];
                if (attempt == 0) {
                    handedBySubtask
                            .computeIfAbsent((Integer) p[1], k -> new HashSet<>())
                            .add(id);
                    ((Long) p[3] < restored ? handedBeforeCheckpoint : handedAfterCheckpoint).add(id);
                } else {
                    replayed.add(id);
                }
            }
        }
        for (Map.Entry<Integer, Set<String>> e : handedBySubtask.entrySet()) {
            List<String> atBarrier = st.publishedAtBarrier.get(e.getKey() + "@" + restored);
            assertThat(atBarrier)
                    .as("SNS topic seen by writer subtask " + e.getKey() + " at checkpoint " + restored)
                    .isNotNull();
            atBarrier.stream().filter(e.getValue()::contains).forEach(publishedBeforeCheckpoint::add);
        }
        Set<String> expectedTwice = new HashSet<>(st.publishedAtRestart);
        expectedTwice.removeAll(publishedBeforeCheckpoint);
        Map<String, Long> copies =
                ids.stream().collect(Collectors.groupingBy(i -> i, TreeMap::new, Collectors.counting()));
        Set<String> twice = copies.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(copies.values()).as("copies of an alert on SNS").allMatch(c -> c <= 2);
        assertThat(new HashSet<>(st.publishedAtRestart))
                .as("alerts published before the restart, each once")
                .hasSameSizeAs(st.publishedAtRestart);
        assertThat(twice)
                .as("alerts on SNS twice = those published after checkpoint " + restored + " and before the failure")
                .isEqualTo(expectedTwice);
        assertThat(ids.size() - copies.size()).as("duplicates on SNS").isEqualTo(expectedTwice.size());
        // the restarted job re-emitted exactly the alerts after the checkpoint's position in the input, and the SNS
        // writers re-sent from their checkpointed buffers the ones handed to them before it but not yet published
        Set<String> afterPosition = new HashSet<>(reference.ids());
        afterPosition.removeAll(handedBeforeCheckpoint);
        assertThat(replayed).as("alerts re-emitted after the restart").isEqualTo(afterPosition);
        assertThat(handedAfterCheckpoint)
                .as("alerts emitted to SNS between the checkpoint and the failure")
                .isSubsetOf(replayed);
        // a duplicate was emitted after the checkpoint, or before it and still in an SNS writer's buffer then
        Set<String> buffered = new HashSet<>(handedBeforeCheckpoint);
        buffered.removeAll(publishedBeforeCheckpoint);
        Set<String> sentAgain = new HashSet<>(handedAfterCheckpoint);
        sentAgain.addAll(buffered);
        assertThat(sentAgain)
                .as("alerts emitted after the checkpoint or buffered in it")
                .containsAll(expectedTwice);

        // the files: each alert and dead letter once, as after a failure-free run
        assertThat(sortedCopy(r.alertsFile)).as("alerts file").isEqualTo(sortedCopy(reference.alertsFile));
        assertThat(sortedCopy(r.deadLetterFile)).as("dead-letter file").isEqualTo(sortedCopy(reference.deadLetterFile));
        // nothing given up by SNS or Timestream
        assertThat(r.snsDeadLetters)
                .as("SNS dead letters")
                .isEqualTo(reference.snsDeadLetters)
                .isEmpty();
        assertThat(r.timestreamDeadLetters)
                .as("Timestream dead letters")
                .isEqualTo(reference.timestreamDeadLetters)
                .isEmpty();

        System.out.printf(
                "failure injection: %s on %s, seed %d: failure at record %,d of %,d (drawn: %,d) after"
                        + " checkpoint %d completed; restored checkpoint %d (taken at record %,d); alerts emitted to SNS"
                        + " between it and the failure %d; alerts published after the checkpoint and before the"
                        + " failure (duplicates) %d; alerts in the SNS writers' checkpointed buffers (sent again) %d;"
                        + " alerts file lines cut and rewritten %d; Timestream records rewritten with a higher version"
                        + " %,d of %,d, dead letters without event time written twice %d; alerts %d, JDBC rows %,d%n",
                failure,
                backend,
                SEED,
                st.injectedAtRecord,
                records,
                st.failAt,
                st.completedAtInjection,
                restored,
                position,
                handedAfterCheckpoint.size(),
                expectedTwice.size(),
                buffered.size(),
                r.alertsFileLinesCut,
                rewritten,
                reference.timestreamRecords.size(),
                deadLettersTwice,
                copies.size(),
                r.tables.values().stream().mapToInt(List::size).sum());
    }

    /** Every notification names its alert; when the sink sets an {@code alert_id} attribute, it is the body's. */
    static void assertAlertIdAttributes(List<String[]> notifications) throws Exception {
        ObjectMapper json = new ObjectMapper();
        long withAttribute = 0;
        for (String[] n : notifications) {
            JsonNode a = json.readTree(n[1]).path("alert_id");
            if (!a.isMissingNode()) {
                withAttribute++;
                String value = a.has("Value")
                        ? a.path("Value").asText()
                        : a.path("StringValue").asText();
                assertThat(value).as("alert_id attribute").isEqualTo(n[0]);
            }
        }
        if (withAttribute == 0) {
            System.out.println("failure injection: the SNS messages carry alert_id in the body only, not as a"
                    + " message attribute");
        } else {
            assertThat(withAttribute).as("messages with an alert_id attribute").isEqualTo(notifications.size());
        }
    }

    static List<String> withoutDeadLetters(List<String> records) {
        return records.stream().filter(r -> !r.startsWith("dead_letter{")).collect(Collectors.toList());
    }

    static List<String> sortedCopy(List<String> l) {
        List<String> c = new ArrayList<>(l);
        Collections.sort(c);
        return c;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // one run

    static Outcome run(String name, String backend, Failure failure, long failAt, StateLayout layout) throws Exception {
        long started = System.nanoTime();
        String topicArn;
        try (SnsClient client = SnsClient.builder()
                .endpointOverride(URI.create(sns.endpoint()))
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials())
                .build()) {
            topicArn = client.createTopic(b -> b.name("alerts-" + name)).topicArn();
        }
        String table = "metrics_" + name.replace('-', '_');
        try (TimestreamWriteClient admin = timestreamAdmin()) {
            admin.createTable(b -> b.databaseName("fc")
                    .tableName(table)
                    .retentionProperties(
                            p -> p.memoryStoreRetentionPeriodInHours(24L).magneticStoreRetentionPeriodInDays(3650L))
                    .magneticStoreWriteProperties(m -> m.enableMagneticStoreWrites(true)));
        }
        RunState st = new RunState(name, failure, failAt, topicArn, table);
        RUNS.put(name, st);
        Path out = Files.createDirectories(dir.resolve(name));
        String jdbcUrl = "jdbc:sqlite:" + out.resolve("results.db");
        Path alertsFile = out.resolve("alerts.jsonl");
        Path deadLetterFile = out.resolve("dead-letters.jsonl");
        Path snsDeadLetters = out.resolve("sns-dead-letters.jsonl");
        Path timestreamDeadLetters = out.resolve("timestream-dead-letters.jsonl");
        JdbcTables.createIfMissing(JdbcOutputs.effectiveUrl(jdbcUrl));
        JsonLinesFileSink.truncate(alertsFile);
        JsonLinesFileSink.truncate(deadLetterFile);
        JsonLinesFileSink.forgetRewind(alertsFile);

        Configuration conf = new Configuration();
        // no Kryo anywhere, as in LocalRun: every record type and every state has an explicit serializer (the
        // Timestream sink's input through MetricPointSerializer)
        conf.set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, false);
        conf.set(org.apache.flink.configuration.PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(org.apache.flink.configuration.PipelineOptions.MAX_PARALLELISM, ManagedFlinkJob.MAX_PARALLELISM);
        conf.addAll(StateBackends.configuration(backend));
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(CHECKPOINT_MS));
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                out.resolve("checkpoints").toUri().toString());
        // as a local run with --checkpoint-dir (LocalCheckpoints): a task restored as finished would skip the
        // end-of-input cap
        conf.set(CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH, false);
        // unlike a local run (restart strategy none: the next run resumes), the job restarts inside the cluster
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        PipelineOptions options = PipelineOptions.builder(measures)
                .caseRetention(Duration.ofDays(3650))
                .sortedInput(true)
                .stateLayout(layout)
                .build();
        FileSource<ParsedRecord> source = FileSource.forRecordStreamFormat(
                        new JsonLinesFormat(new EventParser().withMaxFutureSkew(options.getMaxFutureSkew())),
                        new org.apache.flink.core.fs.Path(sorted.toUri()))
                .build();
        DataStream<ParsedRecord> files = env.fromSource(
                        source, FlightControllerTopology.fileWatermarkStrategy(options), "event files")
                .uid("source-files")
                .setParallelism(1);
        DataStream<ParsedRecord> input = files.map(new FailureInjector(name))
                .returns(files.getType())
                .name("test: failure injector")
                .uid("test-failure-injector")
                .setParallelism(1);
        FlightControllerTopology.Outputs outputs = FlightControllerTopology.build(input, options);
        // the local run's sinks (LocalRun), SNS with a dead-letter file
        JobWiring.attachJdbc(outputs, JdbcOutputs.effectiveUrl(jdbcUrl));
        JobWiring.attachAlertsFile(outputs, alertsFile);
        JobWiring.attachDeadLettersFile(outputs, deadLetterFile);
        Map<String, String> snsOptions = new HashMap<>();
        snsOptions.put(RuntimePropertyKeys.SNS_TOPIC_ARN, topicArn);
        snsOptions.put(RuntimePropertyKeys.SNS_ENDPOINT, sns.endpoint());
        outputs.alerts
                .map(new AlertLedger(name))
                .returns(outputs.alerts.getType())
                .name("test: alert ledger")
                .uid("test-alert-ledger")
                .sinkTo(SnsAlertSink.builder()
                        .fromConfiguration(Configuration.fromMap(snsOptions))
                        .setDeadLetterHandler(new JsonLinesDeadLetterHandler(snsDeadLetters.toString()))
                        .build())
                .name("alerts to SNS")
                .uid("sns-alerts");
        // every output as points to Timestream, as ManagedFlinkJob wires metrics.sink=timestream, with a dead-letter
        // file instead of the job log
        MetricPointStreams.all(
                        outputs.measurements,
                        outputs.aggregates,
                        outputs.errorBudgets,
                        outputs.alerts,
                        outputs.openCases,
                        outputs.deadLetters,
                        measures,
                        "timestream")
                .sinkTo(TimestreamSink.builder()
                        .setDatabase("fc")
                        .setTable(table)
                        .setRegion(MotoServer.REGION)
                        .setEndpoint(timestream.endpoint())
                        .setDeadLetterHandler(new JsonLinesDeadLetterHandler(timestreamDeadLetters.toString()))
                        .build())
                .name("metrics to Timestream")
                .uid("timestream-metrics");
        StateBackends.probe(outputs.measurements, name);
        JobGraph job = env.getStreamGraph().getJobGraph();

        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(2)
                .setNumSlotsPerTaskManager(1)
                .withRandomPorts()
                .build());
        try {
            cluster.start();
            cluster.submitJob(job).get();
            if (failure == Failure.TASK_MANAGER) {
                java.util.concurrent.CompletableFuture<JobResult> result = cluster.requestJobResult(job.getJobID());
                while (!st.loseTaskManager.await(100, TimeUnit.MILLISECONDS)) {
                    assertThat(result.isDone())
                            .as("job ended before the task manager could be lost")
                            .isFalse();
                }
                cluster.terminateTaskManager(0).get(60, TimeUnit.SECONDS);
                cluster.startTaskManager();
            }
            JobResult result = cluster.requestJobResult(job.getJobID()).get(5, TimeUnit.MINUTES);
            result.toJobExecutionResult(FailureInjectionTest.class.getClassLoader()); // throws when it failed
        } finally {
            cluster.close();
        }
        StateBackends.assertRanOn(name, backend);
        System.out.printf("failure injection: run %s took %.1f s%n", name, (System.nanoTime() - started) / 1e9);

        Outcome r = new Outcome();
        r.state = st;
        r.tables = ResultTables.dump(jdbcUrl);
        r.notifications = notifications(topicArn);
        r.timestreamVersions = new HashMap<>();
        r.timestreamRecords = timestreamRecords(table, r.timestreamVersions);
        r.alertsFile = Files.readAllLines(alertsFile, StandardCharsets.UTF_8);
        r.deadLetterFile = Files.readAllLines(deadLetterFile, StandardCharsets.UTF_8);
        r.alertsFileLinesCut = JsonLinesFileSink.rewind(alertsFile)
                .map(JsonLinesFileSink.Rewind::lines)
                .orElse(0L);
        r.snsDeadLetters = Files.exists(snsDeadLetters) ? Files.readAllLines(snsDeadLetters) : List.of();
        r.timestreamDeadLetters =
                Files.exists(timestreamDeadLetters) ? Files.readAllLines(timestreamDeadLetters) : List.of();
        // moto answers data.json with everything it holds: keep what the next run's checkpoints read small
        try (SnsClient client = SnsClient.builder()
                        .endpointOverride(URI.create(sns.endpoint()))
                        .region(Region.of(MotoServer.REGION))
                        .credentialsProvider(credentials())
                        .build();
                TimestreamWriteClient admin = timestreamAdmin()) {
            client.deleteTopic(b -> b.topicArn(topicArn));
            admin.deleteTable(b -> b.databaseName("fc").tableName(table));
        }
        return r;
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    static TimestreamWriteClient timestreamAdmin() {
        return TimestreamWriteClient.builder()
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials())
                .endpointOverride(URI.create(timestream.endpoint()))
                .endpointDiscoveryEnabled(false)
                .build();
    }

    /** @return the topic's notifications in the order moto got them: {alert id from the body, attributes JSON} */
    static List<String[]> notifications(String topicArn) {
        try {
            ObjectMapper json = new ObjectMapper();
            List<String[]> out = new ArrayList<>();
            for (JsonNode topic :
                    json.readTree(sns.get("/moto-api/data.json")).path("sns").path("Topic")) {
                if (topicArn.equals(topic.path("arn").asText())) {
                    for (JsonNode n : topic.path("sent_notifications")) {
                        JsonNode id = json.readTree(n.get(1).asText()).get("alert_id");
                        out.add(new String[] {
                            id == null ? null : id.asText(), n.path(3).toString()
                        });
                    }
                }
            }
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * @param table the run's table
     * @param versions filled with each record's version, by normalized record
     * @return the table's records, normalized: measure name, dimensions and measure values sorted by name, and the
     *     time, except for a dead letter (an unreadable line has no event time and gets the wall-clock time)
     */
    static List<String> timestreamRecords(String table, Map<String, Long> versions) {
        try {
            ObjectMapper json = new ObjectMapper();
            List<String> out = new ArrayList<>();
            for (JsonNode t : json.readTree(timestream.get("/moto-api/data.json"))
                    .path("timestreamwrite")
                    .path("TimestreamTable")) {
                if (!table.equals(t.path("name").asText())) {
                    continue;
                }
                for (JsonNode rec : t.path("records")) {
                    String key = normalized(rec);
                    out.add(key);
                    versions.put(key, rec.path("Version").asLong());
                }
            }
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String normalized(JsonNode rec) {
        Map<String, String> dims = new TreeMap<>();
        rec.path("Dimensions")
                .forEach(d -> dims.put(d.path("Name").asText(), d.path("Value").asText()));
        Map<String, String> values = new TreeMap<>();
        rec.path("MeasureValues")
                .forEach(
                        v -> values.put(v.path("Name").asText(), v.path("Value").asText()));
        String name = rec.path("MeasureName").asText();
        return name
                + dims
                + values
                + ("dead_letter".equals(name) ? "" : "@" + rec.path("Time").asText());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // test operators

    /**
     * After the source, at parallelism 1: counts the records (the count is in the checkpoint, so it continues from
     * the restored position), slows the input down so checkpoints complete while it is read, and at the run's drawn
     * record, once a checkpoint has completed, throws (a task failure) or asks the test to stop a task manager. Each
     * failure happens once per run.
     */
    static final class FailureInjector extends RichMapFunction<ParsedRecord, ParsedRecord>
            implements CheckpointedFunction, CheckpointListener {
        private static final long serialVersionUID = 1L;
        private final String run;
        private transient ListState<Long> position;
        private transient long read;

        FailureInjector(String run) {
            this.run = run;
        }

        @Override
        public void initializeState(FunctionInitializationContext ctx) throws Exception {
            position = ctx.getOperatorStateStore().getListState(new ListStateDescriptor<>("records-read", Types.LONG));
            for (Long n : position.get()) {
                read = n;
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
            position.update(Collections.singletonList(read));
            if (getRuntimeContext().getTaskInfo().getAttemptNumber() == 0) {
                RUNS.get(run).positionAt.put(ctx.getCheckpointId(), read);
            }
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            RUNS.get(run).completed.accumulateAndGet(checkpointId, Math::max);
        }

        @Override
        public ParsedRecord map(ParsedRecord record) throws Exception {
            read++;
            RunState st = RUNS.get(run);
            Thread.sleep(PAUSE_PER_RECORD_MS);
            if (st.failure == Failure.NONE || read < st.failAt) {
                return record;
            }
            if (!st.injected.get()) {
                if (st.completed.get() < 1) {
                    Thread.sleep(20); // no checkpoint completed yet (a slow machine): wait for one, record by record
                    return record;
                }
                st.injected.set(true);
                st.injectedAtRecord = read;
                st.completedAtInjection = st.completed.get();
                if (st.failure == Failure.TASK) {
                    throw new IllegalStateException("test: injected task failure at record " + read);
                }
                st.loseTaskManager.countDown();
            }
            if (st.failure == Failure.TASK_MANAGER
                    && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0) {
                Thread.sleep(20); // until the task manager is gone: still mid-stream
            }
            return record;
        }
    }

    /**
     * Chained before the SNS sink, at its parallelism: records every alert handed to the SNS writer with the last
     * checkpoint barrier this subtask saw; in the first attempt, at each checkpoint, the alert ids on the topic (the
     * SNS writer has then published what it had in flight; what it still buffers goes into its checkpoint); and when
     * the job is restored, the checkpoint it was restored from and (once) the topic's and the Timestream table's
     * contents at the restart.
     */
    static final class AlertLedger extends RichMapFunction<Alert, Alert> implements CheckpointedFunction {
        private static final long serialVersionUID = 1L;
        private final String run;
        private transient long lastBarrier;
        private transient int attempt;
        private transient int subtask;

        AlertLedger(String run) {
            this.run = run;
        }

        @Override
        public void initializeState(FunctionInitializationContext ctx) {
            RunState st = RUNS.get(run);
            attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
            subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            st.lastAttempt.accumulateAndGet(attempt, Math::max);
            if (ctx.isRestored()) {
                lastBarrier = ctx.getRestoredCheckpointId().orElse(-1);
                st.restoredFrom.set(lastBarrier);
                if (st.restartSeen.compareAndSet(false, true)) {
                    // every task of the failed attempt has ended: what reached SNS and Timestream before the restart
                    st.publishedAtRestart =
                            notifications(st.topicArn).stream().map(n -> n[0]).collect(Collectors.toList());
                    Map<String, Long> versions = new HashMap<>();
                    timestreamRecords(st.table, versions);
                    st.timestreamAtRestart = versions;
                }
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext ctx) {
            lastBarrier = ctx.getCheckpointId();
            RunState st = RUNS.get(run);
            if (attempt == 0 && st.failure != Failure.NONE) {
                st.publishedAtBarrier.put(
                        subtask + "@" + lastBarrier,
                        notifications(st.topicArn).stream().map(n -> n[0]).collect(Collectors.toList()));
            }
        }

        @Override
        public Alert map(Alert alert) {
            RUNS.get(run).passes.add(new Object[] {attempt, subtask, alert.getAlertId(), lastBarrier});
            return alert;
        }
    }
}
