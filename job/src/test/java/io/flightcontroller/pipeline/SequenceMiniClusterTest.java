package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.measures;
import static io.flightcontroller.pipeline.TopologyMiniClusterTest.ev;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flightcontroller.adapters.file.JsonLinesFormat;
import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.ErrorBudget;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import io.flightcontroller.domain.result.WindowAggregate;
import io.flightcontroller.serialization.DomainSerializers;
import io.flightcontroller.testing.StateBackends;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sequence measures in the whole topology on a Flink mini-cluster: shared parsing, de-duplication and routing, the
 * flink-cep operator's rows, alerts, outcomes (aggregates, error budgets), open cases and dead letters; the first and
 * the late-events test also with state in RocksDB (as on Managed Flink), whose flink-cep state is serialized.
 */
class SequenceMiniClusterTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(4)
                    .build());

    /** The project sequence, and a lead_time over two of its event types (the same events routed to both). */
    static final MeasuresConfig MEASURES = measures("measures:\n"
            + "  - name: project_lead_time\n"
            + "    kind: sequence\n"
            + "    steps:\n"
            + "      - event: project_requested\n"
            + "      - event: project_assigned\n"
            + "        within: PT1H\n"
            + "        measure: project_assigned_lead_time\n"
            + "      - event: project_created\n"
            + "    within: PT6H\n"
            + "    slo: { threshold: PT2H, objective: 0.5, window: P28D }\n"
            + "  - name: request_to_create\n"
            + "    start: project_requested\n"
            + "    end: project_created\n");

    @TempDir
    Path dir;

    /** What one run produced. */
    static final class Run {
        JobExecutionResult job;
        List<Measurement> measurements;
        List<Alert> alerts;
        List<DeadLetter> deadLetters;
        List<OpenCase> openCases;
        List<WindowAggregate> aggregates;
        List<ErrorBudget> budgets;

        long counter(String name) {
            Object v = job.getAllAccumulatorResults().get(name);
            return v == null ? 0 : ((Number) v).longValue();
        }

        /** Rows as {@code measure|case|lead ms|good|afterTimeout|late}, sorted. */
        List<String> rows() {
            return measurements.stream()
                    .map(m -> m.getMeasure() + "|" + m.getCaseKey() + "|" + m.valueAsLong() + "|" + m.getGood() + "|"
                            + m.isAfterTimeout() + "|" + m.isLate())
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    Run run(List<String> lines, PipelineOptions options, int parallelism) throws Exception {
        return run(lines, options, parallelism, null);
    }

    /** @param backend Flink's state backend ({@link StateBackends}), null for the default; proven by a probe */
    Run run(List<String> lines, PipelineOptions options, int parallelism, String backend) throws Exception {
        Path file = dir.resolve(UUID.randomUUID() + ".jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        String tag = UUID.randomUUID() + "/";
        StreamExecutionEnvironment env = backend == null
                ? StreamExecutionEnvironment.getExecutionEnvironment()
                : StreamExecutionEnvironment.getExecutionEnvironment(StateBackends.configuration(backend));
        env.setParallelism(parallelism);
        FileSource<ParsedRecord> source = FileSource.forRecordStreamFormat(
                        new JsonLinesFormat(new EventParser()), new org.apache.flink.core.fs.Path(file.toUri()))
                .build();
        DataStream<ParsedRecord> input = env.fromSource(
                        source, FlightControllerTopology.fileWatermarkStrategy(options), "events")
                .setParallelism(1);
        FlightControllerTopology.Outputs out = FlightControllerTopology.build(input, options);
        out.measurements.sinkTo(new CollectSink<>(tag + "m"));
        out.alerts.sinkTo(new CollectSink<>(tag + "a"));
        out.deadLetters.sinkTo(new CollectSink<>(tag + "d"));
        out.openCases.sinkTo(new CollectSink<>(tag + "o"));
        out.aggregates.sinkTo(new CollectSink<>(tag + "w"));
        out.errorBudgets.sinkTo(new CollectSink<>(tag + "b"));
        if (backend != null) {
            StateBackends.probe(out.measurements, tag);
        }
        Run r = new Run();
        r.job = env.execute("sequence test");
        if (backend != null) {
            StateBackends.assertRanOn(tag, backend);
        }
        r.measurements = CollectSink.get(tag + "m");
        r.alerts = CollectSink.get(tag + "a");
        r.deadLetters = CollectSink.get(tag + "d");
        r.openCases = CollectSink.get(tag + "o");
        r.aggregates = CollectSink.get(tag + "w");
        r.budgets = CollectSink.get(tag + "b");
        CollectSink.forget(tag);
        return r;
    }

    static String at(String hhmm) {
        return "2024-03-01T" + hhmm + ":00Z";
    }

    static final List<String> EVENTS = Arrays.asList(
            ev("p1", "project_requested", at("00:00")),
            ev("p2", "project_requested", at("00:10")),
            ev("p1", "project_assigned", at("00:20")),
            ev("p1", "project_assigned", at("00:20")), // the same event delivered twice
            "not json",
            ev("p3", "project_requested", at("00:30")),
            ev("p3", "project_commented", at("00:35")), // a type no measure uses
            ev("p3", "project_assigned", at("00:40")),
            ev("p1", "project_created", at("01:00")),
            ev("p4", "project_requested", at("01:00")),
            ev("p1", "project_requested", at("01:30")), // a repeated first step: no second sequence
            ev("p4", "project_assigned", at("02:00")), // exactly at the hop's limit: in time
            ev("p2", "project_created", at("03:00")), // p2 was never assigned: timed out at 01:10
            ev("x", "project_requested", at("05:00"))); // the last event time: p3 and x stay open

    @ParameterizedTest(name = "on {0}")
    @MethodSource("io.flightcontroller.testing.StateBackends#both")
    void aSequenceSharesParsingDedupAndRoutingWithTheOtherKinds_itsRowsAlertsAndOpenCasesReachTheOutputs(String backend)
            throws Exception {
        Run r = run(EVENTS, PipelineOptions.builder(MEASURES).sortedInput(true).build(), 2, backend);
        assertThat(r.rows())
                .containsExactly(
                        "project_assigned_lead_time|p1|1200000|null|false|false",
                        "project_assigned_lead_time|p3|600000|null|false|false",
                        "project_assigned_lead_time|p4|3600000|null|false|false",
                        "project_lead_time#3|p1|2400000|null|false|false",
                        "project_lead_time|p1|3600000|true|false|false",
                        "request_to_create|p1|3600000|null|false|false",
                        "request_to_create|p2|10200000|null|false|false");
        assertThat(r.alerts)
                .filteredOn(a -> a.getCaseKey() != null)
                .extracting(Alert::getKind, Alert::getCaseKey, Alert::getDeadlineMs, Alert::getMissingStep)
                .containsExactlyInAnyOrder(
                        tuple(
                                Alert.Kind.TIMEOUT,
                                "p2",
                                Instant.parse(at("01:10")).toEpochMilli(),
                                "project_assigned"),
                        tuple(
                                Alert.Kind.BREACH,
                                "p3",
                                Instant.parse(at("02:30")).toEpochMilli(),
                                null),
                        tuple(
                                Alert.Kind.BREACH,
                                "p4",
                                Instant.parse(at("03:00")).toEpochMilli(),
                                null));
        assertThat(r.openCases)
                .extracting(OpenCase::getMeasure, OpenCase::getCaseKey)
                .containsExactlyInAnyOrder(
                        tuple("project_lead_time", "p3"),
                        tuple("project_lead_time", "p4"),
                        tuple("project_lead_time", "x"),
                        tuple("request_to_create", "p3"),
                        tuple("request_to_create", "p4"),
                        tuple("request_to_create", "x"));
        assertThat(r.counter(PipelineCounters.DUPLICATE)).isEqualTo(1);
        assertThat(r.counter(PipelineCounters.UNKNOWN_TYPE)).isEqualTo(1);
        assertThat(r.deadLetters).extracting(DeadLetter::getReason).containsExactly(DeadLetter.REASON_NOT_JSON);
        assertThat(r.counter(PipelineCounters.OPEN_AT_END)).isEqualTo(6);

        // the rows' outcomes feed the same aggregates and error budgets as any lead: per measure name
        List<WindowAggregate> daily =
                r.aggregates.stream().filter(a -> a.getWindow().equals("PT24H")).collect(Collectors.toList());
        assertThat(daily)
                .extracting(
                        WindowAggregate::getMeasure,
                        WindowAggregate::getCompleted,
                        WindowAggregate::getGood,
                        WindowAggregate::getBad)
                .contains(
                        tuple("project_assigned_lead_time", 3L, 0L, 0L),
                        tuple("project_lead_time#3", 1L, 0L, 0L),
                        tuple("project_lead_time", 1L, 1L, 3L)); // p1 good; p2 (timeout), p3 and p4 (breach) bad
        assertThat(r.budgets).extracting(ErrorBudget::getMeasure).contains("project_lead_time");
    }

    @Test
    void theSameInputGivesTheSameResultsAtEveryParallelismAndInArrivalOrderWithinTheBound() throws Exception {
        Run sorted =
                run(EVENTS, PipelineOptions.builder(MEASURES).sortedInput(true).build(), 1);
        // arrival order: p1's created and p2's requested swapped, within the out-of-orderness
        List<String> shuffled = new java.util.ArrayList<>(EVENTS);
        Collections.swap(shuffled, 1, 2);
        Run arrival = run(
                shuffled,
                PipelineOptions.builder(MEASURES)
                        .sortedInput(false)
                        .outOfOrderness(Duration.ofMinutes(30))
                        .build(),
                3);
        assertThat(arrival.rows()).isEqualTo(sorted.rows()).isNotEmpty();
        assertThat(arrival.alerts.stream().map(Alert::getAlertId).sorted().collect(Collectors.toList()))
                .isEqualTo(
                        sorted.alerts.stream().map(Alert::getAlertId).sorted().collect(Collectors.toList()));
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("io.flightcontroller.testing.StateBackends#both")
    void lateEventsAreDeadLetteredAndCounted_aLateStepCorrectsItsTimedOutCase(String backend) throws Exception {
        List<String> lines = Arrays.asList(
                ev("k", "project_requested", at("00:00")),
                ev("a", "project_requested", at("02:00")),
                ev("b", "project_requested", at("02:01")), // two instants past 02:00: the watermark reaches it
                ev("k", "project_assigned", at("01:30")), // late: k timed out at 01:00; a correction
                ev("c", "project_requested", at("02:02")));
        Run r = run(
                lines,
                PipelineOptions.builder(MEASURES)
                        .sortedInput(false)
                        .outOfOrderness(Duration.ofMinutes(1))
                        .build(),
                2,
                backend);
        assertThat(r.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.getReason()).isEqualTo(DeadLetter.REASON_LATE);
            assertThat(d.getCorrelationId()).isEqualTo("k");
            assertThat(d.getEventTimeMs()).isEqualTo(Instant.parse(at("01:30")).toEpochMilli());
        });
        assertThat(r.counter(PipelineCounters.LATE)).isEqualTo(1);
        assertThat(r.counter(PipelineCounters.LATE_APPLIED)).isEqualTo(1);
        assertThat(r.rows()).contains("project_assigned_lead_time|k|5400000|null|true|true");
        assertThat(r.alerts)
                .filteredOn(a -> "k".equals(a.getCaseKey()) && a.getKind() == Alert.Kind.TIMEOUT)
                .extracting(Alert::getMissingStep)
                .containsExactly("project_assigned");
    }

    /**
     * Two partitions of one parallel source: partition 0 emits K's first step and then stays silent (but keeps running,
     * like a shard without traffic); partition 1 keeps completing other cases, 10 minutes of event time apart, every
     * 20 ms.
     */
    static PartitionedTestSource twoPartitions() {
        return new PartitionedTestSource(
                (partition, n) -> {
                    if (partition == 0) {
                        return n == 0
                                ? Collections.singletonList(ev("K", "project_requested", at("00:00")))
                                : Collections.emptyList();
                    }
                    String time = Instant.parse(at("00:00"))
                            .plusSeconds((n + 1) * 600)
                            .toString();
                    return Arrays.asList(
                            ev("other-" + (n + 1), "project_requested", time),
                            ev("other-" + (n + 1), "project_assigned", time),
                            ev("other-" + (n + 1), "project_created", time));
                },
                20);
    }

    @Test
    void timeoutsFireWhenTheKeyGoesQuiet_alsoWithAnIdlePartition() throws Exception {
        PipelineOptions options = PipelineOptions.builder(MEASURES)
                .idleTimeout(Duration.ofSeconds(1))
                .build();
        String tag = UUID.randomUUID() + "/";
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().setAutoWatermarkInterval(100);
        DataStream<ParsedRecord> input = env.fromSource(
                        twoPartitions(),
                        WatermarkStrategy.noWatermarks(),
                        "two partitions",
                        DomainSerializers.PARSED_RECORD)
                .setParallelism(2)
                .assignTimestampsAndWatermarks(FlightControllerTopology.watermarkStrategy(options))
                .setParallelism(2);
        FlightControllerTopology.Outputs out = FlightControllerTopology.build(input, options);
        out.alerts.sinkTo(new CollectSink<>(tag + "alerts"));
        JobClient job = env.executeAsync("idle partition, quiet key");
        List<Alert> alerts = Collections.emptyList();
        try {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < giveUp) {
                alerts = CollectSink.get(tag + "alerts");
                if (alerts.stream().anyMatch(a -> a.getKind() == Alert.Kind.TIMEOUT)) {
                    break;
                }
                Thread.sleep(200);
            }
            Thread.sleep(1000); // a second alert for K, if there were one, would have come by now
            alerts = CollectSink.get(tag + "alerts");
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
            CollectSink.forget(tag);
        }
        List<Alert> timeouts =
                alerts.stream().filter(a -> a.getKind() == Alert.Kind.TIMEOUT).collect(Collectors.toList());
        assertThat(timeouts)
                .as("K's timeout, fired while the job is still running")
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.getCaseKey()).isEqualTo("K");
                    assertThat(a.getMissingStep()).isEqualTo("project_assigned");
                    assertThat(a.getDeadlineMs())
                            .isEqualTo(Instant.parse(at("01:00")).toEpochMilli());
                });
    }
}
