package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.counter;
import static io.flightcontroller.pipeline.HarnessSupport.deadLetters;
import static io.flightcontroller.pipeline.HarnessSupport.measures;
import static io.flightcontroller.pipeline.HarnessSupport.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.EventParser;
import io.flightcontroller.domain.event.DeadLetter;
import io.flightcontroller.domain.event.ParsedRecord;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasuresConfig;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Lateness is decided once, at the source ({@link ParseSplitter}), against watermarks made by the topology's own
 * strategies: late records are dead-lettered exactly as received and flagged with the watermark they arrived behind.
 */
class ParseSplitterTest {

    private static final MeasuresConfig MEASURES = measures("measures:\n"
            + "  - name: project_assignment\n"
            + "    start: project_requested\n"
            + "    end: project_assigned\n"
            + "    timeout: PT1H\n");

    /** Parses lines and feeds them with the strategy's timestamps and watermarks, as the source does. */
    private static final class Source implements AutoCloseable {
        final OneInputStreamOperatorTestHarness<ParsedRecord, ProcessEvent> h;
        final TimestampAssigner<ParsedRecord> timestamps;
        final WatermarkGenerator<ParsedRecord> generator;
        final boolean periodic;
        long watermark = Long.MIN_VALUE;

        Source(WatermarkStrategy<ParsedRecord> s, boolean periodic) throws Exception {
            this.h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new ParseSplitter(MEASURES)));
            h.open();
            this.timestamps = s.createTimestampAssigner(null);
            this.generator = s.createWatermarkGenerator(null);
            this.periodic = periodic;
        }

        void send(String line) throws Exception {
            ParsedRecord r = new EventParser().parse(line);
            long ts = timestamps.extractTimestamp(r, Long.MIN_VALUE);
            h.processElement(new StreamRecord<>(r, ts));
            generator.onEvent(r, ts, output());
            if (periodic) {
                generator.onPeriodicEmit(output());
            }
        }

        private WatermarkOutput output() {
            return new WatermarkOutput() {
                @Override
                public void emitWatermark(Watermark w) {
                    if (w.getTimestamp() > watermark) {
                        watermark = w.getTimestamp();
                        try {
                            h.processWatermark(w.getTimestamp());
                        } catch (Exception ex) {
                            throw new IllegalStateException(ex);
                        }
                    }
                }

                @Override
                public void markIdle() {}

                @Override
                public void markActive() {}
            };
        }

        List<ProcessEvent> events() {
            return h.extractOutputValues();
        }

        @Override
        public void close() throws Exception {
            h.close();
        }
    }

    private static String line(String id, String type, String time) {
        return "{\"correlation_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"time\":\"" + time + "\"}";
    }

    private static Source arrival(Duration outOfOrderness) throws Exception {
        return new Source(
                FlightControllerTopology.watermarkStrategy(PipelineOptions.builder(MEASURES)
                        .outOfOrderness(outOfOrderness)
                        .idleTimeout(null)
                        .build()),
                true);
    }

    @Test
    void eventsAtOrBehindTheWatermarkAreDeadLetteredExactlyAsReceivedAndFlaggedNotDropped() throws Exception {
        try (Source src = arrival(Duration.ofSeconds(5))) {
            src.send(line("K", "project_requested", "2024-03-01T10:00:00Z"));
            src.send(line("A", "project_requested", "2024-03-01T10:00:34Z"));
            src.send(line("B", "project_requested", "2024-03-01T10:00:35.001Z"));
            // corroborated (34 s and 35.001 s lie within the 5 s bound): 10:00:35.001 - 5 s - 1 ms
            assertThat(src.watermark).isEqualTo(t("2024-03-01T10:00:30Z"));
            assertThat(deadLetters(src.h)).isEmpty();

            String lateAssigned = "{ \"correlation_id\": \"K\", \"event_type\": \"project_assigned\","
                    + " \"time\": \"2024-03-01T10:00:20Z\", \"payload\": {\"x\": 1} }";
            src.send(lateAssigned);
            src.send(line("C", "project_requested", "2024-03-01T10:00:30Z")); // exactly at the watermark
            src.send(line("D", "project_requested", "2024-03-01T10:00:30.001Z")); // 1 ms ahead: on time
            src.send(line("E", "heartbeat", "2024-03-01T10:00:01Z")); // late, but no measure uses it

            List<DeadLetter> dl = deadLetters(src.h);
            assertThat(dl).extracting(DeadLetter::getReason).containsOnly(DeadLetter.REASON_LATE);
            assertThat(dl).extracting(DeadLetter::getCorrelationId).containsExactly("K", "C");
            assertThat(dl.get(0).getRaw()).isEqualTo(lateAssigned);
            assertThat(counter(src.h, PipelineCounters.LATE)).isEqualTo(2);
            assertThat(counter(src.h, PipelineCounters.MAX_LATENESS_MS)).isEqualTo(10_000);

            // still sent on, flagged with the watermark they arrived behind, so a late end can correct its case
            assertThat(src.events())
                    .filteredOn(e -> e.getCorrelationId().equals("K") && e.isLate())
                    .singleElement()
                    .satisfies(e -> assertThat(e.getLateWatermark()).isEqualTo(src.watermark));
            assertThat(src.events())
                    .filteredOn(e -> e.getCorrelationId().equals("C"))
                    .allSatisfy(e -> assertThat(e.isLate()).isTrue());
            assertThat(src.events())
                    .filteredOn(e -> e.getCorrelationId().equals("D"))
                    .allSatisfy(e -> assertThat(e.isLate()).isFalse())
                    .hasSize(1);
            assertThat(src.events()).extracting(ProcessEvent::getSeq).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void oneEventFarAheadMovesNoWatermarkSoTheEventsAfterItAreOnTime() throws Exception {
        for (String ahead : new String[] {"2099-01-01T00:00:00Z", "2024-03-08T10:00:00Z", "2024-03-01T10:05:00Z"}) {
            try (Source src = arrival(Duration.ofSeconds(5))) {
                src.send(line("a", "project_requested", "2024-03-01T10:00:00Z"));
                src.send(line("b", "project_requested", "2024-03-01T10:00:01Z"));
                src.send(line("p", "noise", ahead));
                src.send(line("p", "noise", ahead)); // a duplicate of it does not corroborate it
                for (int i = 2; i < 60; i++) {
                    src.send(line("c" + i, "project_requested", String.format("2024-03-01T10:00:%02dZ", i)));
                }
                assertThat(src.watermark).as(ahead).isEqualTo(t("2024-03-01T10:00:53.999Z"));
                assertThat(deadLetters(src.h)).as(ahead).isEmpty();
                assertThat(src.events()).as(ahead).noneMatch(ProcessEvent::isLate);
            }
        }
    }

    @Test
    void aSortedFileReplayEmitsItsWatermarksOnTheEventsThemselvesSoNothingIsLate() throws Exception {
        try (Source src = new Source(
                FlightControllerTopology.fileWatermarkStrategy(
                        PipelineOptions.builder(MEASURES).sortedInput(true).build()),
                false)) {
            src.send(line("a", "project_requested", "2024-03-01T10:00:00Z"));
            assertThat(src.watermark).isEqualTo(t("2024-03-01T10:00:00Z") - 1);
            src.send(line("b", "project_requested", "2024-03-01T10:00:00Z")); // a tie is not late
            src.send(line("a", "project_assigned", "2024-03-08T10:00:00Z"));
            assertThat(src.watermark).isEqualTo(t("2024-03-08T10:00:00Z") - 1);
            assertThat(src.events()).hasSize(3).noneMatch(ProcessEvent::isLate);
        }
    }
}
