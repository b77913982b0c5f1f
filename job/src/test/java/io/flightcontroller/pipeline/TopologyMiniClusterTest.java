package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.measures;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.file.JsonLinesFormat;
import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole topology on a Flink mini-cluster: a JSON Lines file read by a {@link FileSource} with
 * {@link JsonLinesFormat}, every output collected by a {@link CollectSink}, counters read from the job result.
 */
class TopologyMiniClusterTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(4)
                    .build());

    private static final MeasuresConfig MEASURES = measures("measures:\n"
            + "  - name: project_lead_time\n"
            + "    start: project_requested\n"
            + "    end: project_created\n"
            + "    timeout: PT1H\n");

    @TempDir
    Path dir;

    /** What one run produced. */
    static final class Run {
        JobExecutionResult job;
        List<Measurement> measurements;
        List<Alert> alerts;
        List<DeadLetter> deadLetters;
        List<OpenCase> openCases;

        long counter(String name) {
            Object v = job.getAllAccumulatorResults().get(name);
            return v == null ? 0 : ((Number) v).longValue();
        }

        /** Measurements as comparable text, independent of arrival order. */
        List<String> measurementKeys() {
            return measurements.stream()
                    .map(m -> m.getMeasure() + "|" + m.getCaseKey() + "|" + m.getCycle() + "|" + m.valueAsLong() + "|"
                            + m.getGood() + "|" + m.isAfterTimeout() + "|" + m.isLate())
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    static Run run(Path file, PipelineOptions options) throws Exception {
        String tag = UUID.randomUUID() + "/";
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        FileSource<ParsedRecord> source = FileSource.forRecordStreamFormat(
                        new JsonLinesFormat(new EventParser()), new org.apache.flink.core.fs.Path(file.toUri()))
                .build();
        DataStream<ParsedRecord> input = env.fromSource(
                        source, FlightControllerTopology.fileWatermarkStrategy(options), "events")
                .setParallelism(1);
        FlightControllerTopology.Outputs out = FlightControllerTopology.build(input, options);
        out.measurements.sinkTo(new CollectSink<>(tag + "measurements"));
        out.alerts.sinkTo(new CollectSink<>(tag + "alerts"));
        out.deadLetters.sinkTo(new CollectSink<>(tag + "dead-letters"));
        out.openCases.sinkTo(new CollectSink<>(tag + "open-cases"));
        Run r = new Run();
        r.job = env.execute("topology test");
        r.measurements = CollectSink.get(tag + "measurements");
        r.alerts = CollectSink.get(tag + "alerts");
        r.deadLetters = CollectSink.get(tag + "dead-letters");
        r.openCases = CollectSink.get(tag + "open-cases");
        CollectSink.forget(tag);
        return r;
    }

    private Path write(String name, List<String> lines) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    static String ev(String id, String type, String time) {
        return "{\"correlation_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"time\":\"" + time + "\"}";
    }

    @Test
    void badRecordsAreDeadLetteredWithReasonAndRawAndCountedWhileValidRecordsGiveTheSameMeasurements()
            throws Exception {
        List<String> valid = Arrays.asList(
                ev("c1", "project_requested", "2024-03-01T00:00:00Z"),
                ev("c2", "project_requested", "2024-03-01T00:10:00Z"),
                ev("c2", "project_created", "2024-03-01T00:40:00Z"),
                ev("c1", "project_created", "2024-03-01T00:55:00Z"),
                ev("c3", "project_requested", "2024-03-01T01:00:00Z"),
                ev("c3", "project_created", "2024-03-01T01:20:00Z"));
        StringBuilder blob = new StringBuilder();
        while (blob.length() < EventParser.DEFAULT_MAX_RECORD_BYTES + 10) {
            blob.append("0123456789abcdef");
        }
        String oversized = "{\"correlation_id\":\"big\",\"event_type\":\"project_requested\","
                + "\"time\":\"2024-03-01T00:30:00Z\",\"payload\":{\"blob\":\"" + blob + "\"}}";
        String notJson = "this is not json";
        String truncated = "{\"correlation_id\":\"c9\",\"event_type\":\"project_requested\",\"time\":\"2024-03";
        String noId = "{\"event_type\":\"project_requested\",\"time\":\"2024-03-01T00:05:00Z\"}";
        String noType = "{\"correlation_id\":\"c8\",\"time\":\"2024-03-01T00:05:00Z\"}";
        String noTime = "{\"correlation_id\":\"c7\",\"event_type\":\"project_requested\"}";
        String badTime =
                "{\"correlation_id\":\"c6\",\"event_type\":\"project_requested\",\"time\":\"29/2/2016 01:16\"}";
        String unknownType = ev("c1", "coffee_break", "2024-03-01T00:20:00Z");

        List<String> mixed = new ArrayList<>();
        mixed.add(notJson);
        mixed.add(valid.get(0));
        mixed.add(truncated);
        mixed.add(valid.get(1));
        mixed.add(noId);
        mixed.add(unknownType);
        mixed.add(valid.get(2));
        mixed.add(noType);
        mixed.add(oversized);
        mixed.add(valid.get(3));
        mixed.add(noTime);
        mixed.add(valid.get(4));
        mixed.add(badTime);
        mixed.add(valid.get(5));

        PipelineOptions options =
                PipelineOptions.builder(MEASURES).sortedInput(true).build();
        Run clean = run(write("valid.jsonl", valid), options);
        Run dirty = run(write("mixed.jsonl", mixed), options);

        assertThat(clean.measurementKeys()).hasSize(3);
        assertThat(dirty.measurementKeys()).isEqualTo(clean.measurementKeys());
        assertThat(dirty.alerts).isEmpty();
        assertThat(dirty.counter(PipelineCounters.MATCHED))
                .isEqualTo(clean.counter(PipelineCounters.MATCHED))
                .isEqualTo(3);
        assertThat(clean.deadLetters).isEmpty();

        Map<String, List<DeadLetter>> byReason =
                dirty.deadLetters.stream().collect(Collectors.groupingBy(DeadLetter::getReason));
        assertThat(byReason.keySet())
                .containsExactlyInAnyOrder(
                        DeadLetter.REASON_NOT_JSON,
                        DeadLetter.REASON_TRUNCATED_JSON,
                        DeadLetter.REASON_MISSING_CORRELATION_ID,
                        DeadLetter.REASON_MISSING_EVENT_TYPE,
                        DeadLetter.REASON_MISSING_TIME,
                        DeadLetter.REASON_BAD_TIME,
                        DeadLetter.REASON_OVERSIZED);
        assertThat(dirty.deadLetters).hasSize(7);
        assertThat(raw(byReason, DeadLetter.REASON_NOT_JSON)).isEqualTo(notJson);
        assertThat(raw(byReason, DeadLetter.REASON_TRUNCATED_JSON)).isEqualTo(truncated);
        assertThat(raw(byReason, DeadLetter.REASON_MISSING_CORRELATION_ID)).isEqualTo(noId);
        assertThat(raw(byReason, DeadLetter.REASON_MISSING_EVENT_TYPE)).isEqualTo(noType);
        assertThat(raw(byReason, DeadLetter.REASON_MISSING_TIME)).isEqualTo(noTime);
        assertThat(raw(byReason, DeadLetter.REASON_BAD_TIME)).isEqualTo(badTime);
        String bigRaw = raw(byReason, DeadLetter.REASON_OVERSIZED);
        assertThat(bigRaw)
                .startsWith(oversized.substring(0, DeadLetter.MAX_RAW_CHARS))
                .contains("truncated");
        assertThat(bigRaw.length()).isLessThan(DeadLetter.MAX_RAW_CHARS + 100);
        for (DeadLetter d : dirty.deadLetters) {
            assertThat(d.getStage()).isEqualTo("parse");
            assertThat(d.getDetail()).isNotBlank();
        }

        for (String reason : byReason.keySet()) {
            assertThat(dirty.counter(PipelineCounters.MALFORMED_PREFIX + reason))
                    .as(reason)
                    .isEqualTo(1);
        }
        assertThat(dirty.counter(PipelineCounters.UNKNOWN_TYPE)).isEqualTo(1);
        assertThat(dirty.counter(PipelineCounters.DEAD_LETTERS)).isEqualTo(7);
        assertThat(clean.counter(PipelineCounters.DEAD_LETTERS)).isZero();
        assertThat(dirty.counter(PipelineCounters.RECORDS_IN)).isEqualTo(mixed.size());
        assertThat(dirty.counter(PipelineCounters.EVENTS_PARSED)).isEqualTo(valid.size() + 1);
        assertThat(clean.counter(PipelineCounters.UNKNOWN_TYPE)).isZero();
    }

    @Test
    void anEndEventWithoutAStartIsCountedAsAnOrphan() throws Exception {
        Run r = run(
                write(
                        "orphan.jsonl",
                        Arrays.asList(
                                ev("c1", "project_requested", "2024-03-01T00:00:00Z"),
                                ev("never-requested", "project_created", "2024-03-01T00:10:00Z"),
                                ev("c1", "project_created", "2024-03-01T00:20:00Z"))),
                PipelineOptions.builder(MEASURES).sortedInput(true).build());
        assertThat(r.counter(PipelineCounters.ORPHAN)).isEqualTo(1);
        assertThat(r.measurements).extracting(Measurement::getCaseKey).containsExactly("c1");
    }

    @Test
    void unfinishedCasesAtEndOfInputAreReportedOpenWithTheirAgeUnlessTheirDeadlinePassedBeforeTheLastEvent()
            throws Exception {
        Run r = run(
                write(
                        "unfinished.jsonl",
                        Arrays.asList(
                                ev(
                                        "B",
                                        "project_requested",
                                        "2024-03-01T00:00:00Z"), // deadline 01:00, before the last event
                                ev("C", "project_requested", "2024-03-01T01:00:00Z"),
                                ev(
                                        "A",
                                        "project_requested",
                                        "2024-03-01T01:30:00Z"), // deadline 02:30, after the last event
                                ev("C", "project_created", "2024-03-01T01:45:00Z"),
                                ev(
                                        "X",
                                        "heartbeat",
                                        "2024-03-01T02:00:00Z"))), // last event time seen: a type no measure uses
                PipelineOptions.builder(MEASURES).sortedInput(true).build());

        assertThat(r.alerts).extracting(Alert::getCaseKey).containsExactly("B");
        assertThat(r.alerts.get(0).getKind()).isEqualTo(Alert.Kind.TIMEOUT);
        assertThat(r.openCases).hasSize(1);
        assertThat(r.openCases.get(0).getCaseKey()).isEqualTo("A");
        assertThat(r.openCases.get(0).getAgeMs()).isEqualTo(30 * 60_000L);
        assertThat(r.measurements).extracting(Measurement::getCaseKey).containsExactly("C");
        assertThat(r.counter(PipelineCounters.OPEN_AT_END)).isEqualTo(1);
        assertThat(r.counter(PipelineCounters.TIMED_OUT)).isEqualTo(1);
    }

    private static String raw(Map<String, List<DeadLetter>> byReason, String reason) {
        List<DeadLetter> ds = byReason.getOrDefault(reason, Collections.emptyList());
        assertThat(ds).as(reason).hasSize(1);
        return ds.get(0).getRaw();
    }
}
