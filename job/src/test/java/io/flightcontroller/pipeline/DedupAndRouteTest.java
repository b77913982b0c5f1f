package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.counter;
import static io.flightcontroller.pipeline.HarnessSupport.deadLetters;
import static io.flightcontroller.pipeline.HarnessSupport.dedupHarness;
import static io.flightcontroller.pipeline.HarnessSupport.event;
import static io.flightcontroller.pipeline.HarnessSupport.measures;
import static io.flightcontroller.pipeline.HarnessSupport.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.DeadLetter;
import io.flightcontroller.domain.MeasuresConfig;
import io.flightcontroller.domain.ParsedRecord;
import io.flightcontroller.domain.ProcessEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The de-duplicating, late-flagging and routing operator ({@link DedupAndRoute}) driven by hand, with watermarks made by
 * the topology's own watermark strategy.
 */
class DedupAndRouteTest {

    private static final MeasuresConfig MEASURES = measures(
            "measures:\n"
                    + "  - name: project_assignment\n"
                    + "    start: project_requested\n"
                    + "    end: project_assigned\n"
                    + "    timeout: PT1H\n"
                    + "  - name: project_lead_time\n"
                    + "    start: project_requested\n"
                    + "    end: project_created\n");

    private static final long RETENTION = Duration.ofHours(1).toMillis();

    /** Feeds records through {@link FlightControllerTopology#watermarkStrategy} and the harness, like a source. */
    private static final class Source {
        final KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, RoutedEvent> h;
        final TimestampAssigner<ParsedRecord> timestamps;
        final WatermarkGenerator<ParsedRecord> generator;
        long watermark = Long.MIN_VALUE;

        Source(KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, RoutedEvent> h, Duration outOfOrderness) {
            this.h = h;
            WatermarkStrategy<ParsedRecord> s = FlightControllerTopology.watermarkStrategy(
                    PipelineOptions.builder(MEASURES).outOfOrderness(outOfOrderness).idleTimeout(null).build());
            this.timestamps = s.createTimestampAssigner(null);
            this.generator = s.createWatermarkGenerator(null);
        }

        void send(ProcessEvent e) throws Exception {
            ParsedRecord r = ParsedRecord.ofEvent(e);
            long ts = timestamps.extractTimestamp(r, Long.MIN_VALUE);
            generator.onEvent(r, ts, output());
            h.processElement(new StreamRecord<>(e, ts));
        }

        /** A periodic watermark emission, as the source's auto-watermark interval triggers it. */
        void emitWatermark() throws Exception {
            generator.onPeriodicEmit(output());
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
    }

    @Test
    void eventsAtOrBehindTheWatermarkAreDeadLetteredAsLateAndCountedNotDropped() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, RoutedEvent> h =
                dedupHarness(MEASURES, RETENTION)) {
            Source src = new Source(h, Duration.ofSeconds(5));
            src.send(event("K", "project_requested", t("2024-03-01T10:00:00Z")));
            src.emitWatermark();
            // other keys push the watermark to 10:00:30 (largest time 10:00:35.001 minus 5 s minus 1 ms)
            src.send(event("A", "project_requested", t("2024-03-01T10:00:10Z")));
            src.send(event("B", "project_requested", t("2024-03-01T10:00:35.001Z")));
            src.emitWatermark();
            assertThat(src.watermark).isEqualTo(t("2024-03-01T10:00:30Z"));
            assertThat(deadLetters(h)).isEmpty();

            src.send(event("K", "project_assigned", t("2024-03-01T10:00:20Z")));
            src.send(event("C", "project_requested", t("2024-03-01T10:00:30Z"))); // exactly at the watermark
            src.send(event("D", "project_requested", t("2024-03-01T10:00:30.001Z"))); // 1 ms ahead: on time

            List<DeadLetter> dl = deadLetters(h);
            assertThat(dl).extracting(DeadLetter::getReason).containsOnly(DeadLetter.REASON_LATE);
            assertThat(dl).extracting(DeadLetter::getCorrelationId).containsExactly("K", "C");
            assertThat(dl).extracting(DeadLetter::getEventTimeMs)
                    .containsExactly(t("2024-03-01T10:00:20Z"), t("2024-03-01T10:00:30Z"));
            assertThat(dl.get(0).getRaw()).contains("project_assigned");
            assertThat(counter(h, PipelineCounters.LATE)).isEqualTo(2);

            // late events are still routed, flagged, so a measure can apply a late end as a correction
            List<RoutedEvent> routed = h.extractOutputValues();
            assertThat(routed).filteredOn(r -> r.event.getCorrelationId().equals("K")
                    && r.event.getEventType().equals("project_assigned")).singleElement()
                    .satisfies(r -> assertThat(r.late).isTrue());
            assertThat(routed).filteredOn(r -> r.event.getCorrelationId().equals("D"))
                    .allSatisfy(r -> assertThat(r.late).isFalse()).hasSize(2);
            assertThat(routed).filteredOn(r -> r.event.getCorrelationId().equals("C"))
                    .allSatisfy(r -> assertThat(r.late).isTrue());
        }
    }

    @Test
    void theSameEventDeliveredTwiceIsRoutedOnceAndCountedAsDuplicate() throws Exception {
        long t0 = t("2024-03-01T10:00:00Z");
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, RoutedEvent> h =
                dedupHarness(MEASURES, RETENTION)) {
            // same EventBridge id: a duplicate even if a retry re-serialised the payload differently
            h.processElement(new StreamRecord<>(ProcessEvent.of("id-1", "P1", "project_requested", t0,
                    payload("a", 1)), t0));
            h.processElement(new StreamRecord<>(ProcessEvent.of("id-1", "P1", "project_requested", t0,
                    payload("a", 2)), t0));
            // no id: same type, time and payload is a duplicate ...
            h.processElement(new StreamRecord<>(ProcessEvent.of(null, "P2", "project_assigned", t0,
                    payload("a", 1)), t0));
            h.processElement(new StreamRecord<>(ProcessEvent.of(null, "P2", "project_assigned", t0,
                    payload("a", 1)), t0));
            // ... but another payload, another time or another correlation id is not
            h.processElement(new StreamRecord<>(ProcessEvent.of(null, "P2", "project_assigned", t0,
                    payload("a", 2)), t0));
            h.processElement(new StreamRecord<>(ProcessEvent.of(null, "P2", "project_assigned", t0 + 1,
                    payload("a", 1)), t0 + 1));
            h.processElement(new StreamRecord<>(ProcessEvent.of(null, "P3", "project_assigned", t0,
                    payload("a", 1)), t0));

            List<RoutedEvent> routed = h.extractOutputValues();
            // P1's requested goes to both measures once; the four distinct assigned events to one measure each
            assertThat(routed).filteredOn(r -> r.event.getCorrelationId().equals("P1")).hasSize(2);
            assertThat(routed).filteredOn(r -> r.event.getCorrelationId().equals("P2")).hasSize(3);
            assertThat(routed).filteredOn(r -> r.event.getCorrelationId().equals("P3")).hasSize(1);
            assertThat(counter(h, PipelineCounters.DUPLICATE)).isEqualTo(2);
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void deduplicationStateIsReleasedAfterTheRetention() throws Exception {
        long t0 = t("2024-03-01T10:00:00Z");
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, RoutedEvent> h =
                dedupHarness(MEASURES, RETENTION)) {
            for (int i = 0; i < 100; i++) {
                h.processElement(new StreamRecord<>(event("P" + i, "project_requested", t0 + i), t0 + i));
            }
            assertThat(h.numKeyedStateEntries()).isEqualTo(100);
            h.processWatermark(t0 + RETENTION - 1);
            // within the retention a redelivery is still recognised
            h.processElement(new StreamRecord<>(event("P99", "project_requested", t0 + 99), t0 + 99));
            assertThat(counter(h, PipelineCounters.DUPLICATE)).isEqualTo(1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(100);
            h.processWatermark(t0 + RETENTION + 99);
            assertThat(h.numKeyedStateEntries()).as("keyed state after the retention").isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            // a redelivery after the retention is behind the watermark: handled as late, never silently re-counted
            h.processElement(new StreamRecord<>(event("P5", "project_requested", t0 + 5), t0 + 5));
            assertThat(deadLetters(h)).extracting(DeadLetter::getReason).containsExactly(DeadLetter.REASON_LATE);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    private static Map<String, Object> payload(String k, Object v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k, v);
        return m;
    }
}
