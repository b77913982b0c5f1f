package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.counter;
import static io.flightcontroller.pipeline.HarnessSupport.deadLetters;
import static io.flightcontroller.pipeline.HarnessSupport.dedupHarness;
import static io.flightcontroller.pipeline.HarnessSupport.event;
import static io.flightcontroller.pipeline.HarnessSupport.measures;
import static io.flightcontroller.pipeline.HarnessSupport.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasuresConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The de-duplicating and routing operator ({@link DedupAndRoute}) driven by hand (lateness is decided upstream, see
 * {@link ParseSplitterTest}).
 */
class DedupAndRouteTest {

    private static final MeasuresConfig MEASURES = measures("measures:\n"
            + "  - name: project_assignment\n"
            + "    start: project_requested\n"
            + "    end: project_assigned\n"
            + "    timeout: PT1H\n"
            + "  - name: project_lead_time\n"
            + "    start: project_requested\n"
            + "    end: project_created\n");

    private static final long RETENTION = Duration.ofHours(1).toMillis();

    @Test
    void theSameEventDeliveredTwiceIsRoutedOnceAndCountedAsDuplicate() throws Exception {
        long t0 = t("2024-03-01T10:00:00Z");
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, RoutedEvent> h =
                dedupHarness(MEASURES, RETENTION)) {
            // same EventBridge id: a duplicate even if a retry re-serialised the payload differently
            h.processElement(
                    new StreamRecord<>(ProcessEvent.of("id-1", "P1", "project_requested", t0, payload("a", 1)), t0));
            h.processElement(
                    new StreamRecord<>(ProcessEvent.of("id-1", "P1", "project_requested", t0, payload("a", 2)), t0));
            // no id: same type, time and payload is a duplicate ...
            h.processElement(
                    new StreamRecord<>(ProcessEvent.of(null, "P2", "project_assigned", t0, payload("a", 1)), t0));
            h.processElement(
                    new StreamRecord<>(ProcessEvent.of(null, "P2", "project_assigned", t0, payload("a", 1)), t0));
            // ... but another payload, another time or another correlation id is not
            h.processElement(
                    new StreamRecord<>(ProcessEvent.of(null, "P2", "project_assigned", t0, payload("a", 2)), t0));
            h.processElement(new StreamRecord<>(
                    ProcessEvent.of(null, "P2", "project_assigned", t0 + 1, payload("a", 1)), t0 + 1));
            h.processElement(
                    new StreamRecord<>(ProcessEvent.of(null, "P3", "project_assigned", t0, payload("a", 1)), t0));

            List<RoutedEvent> routed = h.extractOutputValues();
            // P1's requested goes to both measures once; the four distinct assigned events to one measure each
            assertThat(routed)
                    .filteredOn(r -> r.event.getCorrelationId().equals("P1"))
                    .hasSize(2);
            assertThat(routed)
                    .filteredOn(r -> r.event.getCorrelationId().equals("P2"))
                    .hasSize(3);
            assertThat(routed)
                    .filteredOn(r -> r.event.getCorrelationId().equals("P3"))
                    .hasSize(1);
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
            assertThat(h.numKeyedStateEntries())
                    .as("keyed state after the retention")
                    .isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            // a redelivery after the retention is behind the watermark: flagged late at the source (ParseSplitter),
            // routed as late (only a late end can apply), never remembered again
            ProcessEvent again = event("P5", "project_requested", t0 + 5);
            again.setLateWatermark(t0 + RETENTION + 99);
            h.processElement(new StreamRecord<>(again, t0 + 5));
            assertThat(h.extractOutputValues())
                    .filteredOn(r -> r.event.getCorrelationId().equals("P5"))
                    .extracting(r -> r.late)
                    .containsExactly(false, false, true, true);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aCorrelationIdWithHundredsOfEventsAnHourMovesItsKeysToAMapAndStillDropsEveryDuplicateAndReleasesItAll()
            throws Exception {
        long t0 = t("2024-03-01T10:00:00Z");
        int n = DedupAndRoute.COMPACT_MAX * 3;
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, RoutedEvent> h =
                dedupHarness(MEASURES, RETENTION)) {
            for (int i = 0; i < n; i++) {
                h.processElement(new StreamRecord<>(event("HOT", "project_assigned", t0 + i), t0 + i));
                h.processElement(new StreamRecord<>(event("COLD", "project_assigned", t0 + i % 2), t0 + i % 2));
            }
            // every second delivery of the hot id again, out of order
            for (int i = n - 1; i >= 0; i -= 2) {
                h.processElement(new StreamRecord<>(event("HOT", "project_assigned", t0 + i), t0 + i));
            }
            assertThat(h.extractOutputValues())
                    .filteredOn(r -> r.event.getCorrelationId().equals("HOT"))
                    .hasSize(n);
            assertThat(h.extractOutputValues())
                    .filteredOn(r -> r.event.getCorrelationId().equals("COLD"))
                    .hasSize(2);
            assertThat(counter(h, PipelineCounters.DUPLICATE)).isEqualTo(n / 2 + (n - 2));
            // the hot id: its map of keys and its marker; the cold one: its value (a heap map counts as one entry)
            assertThat(h.numKeyedStateEntries()).isEqualTo(3);
            h.processWatermark(t0 + RETENTION + n / 2);
            // keys expire by their own time: the first half is gone, a redelivery of the second half is still known
            h.processElement(new StreamRecord<>(event("HOT", "project_assigned", t0 + n - 1), t0 + n - 1));
            assertThat(counter(h, PipelineCounters.DUPLICATE)).isEqualTo(n / 2 + (n - 2) + 1);
            h.processWatermark(t0 + RETENTION + n);
            assertThat(h.numKeyedStateEntries())
                    .as("keyed state after the retention")
                    .isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void keysRememberedInTheMapLayoutOfAnOlderSavepointAreMovedOverAndStillRecogniseTheirDuplicates() throws Exception {
        long t0 = t("2024-03-01T10:00:00Z");
        // the layout before: every id's keys in the map state, one timer per id at its earliest expiry
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState older;
        ProcessEvent first = event("P1", "project_requested", t0);
        ProcessEvent second = event("P1", "project_assigned", t0 + 10);
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, RoutedEvent> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(new OlderLayout()),
                        ProcessEvent::getCorrelationId,
                        org.apache.flink.api.common.typeinfo.Types.STRING)) {
            h.open();
            h.processElement(new StreamRecord<>(first, t0));
            h.processElement(new StreamRecord<>(second, t0 + 10));
            older = h.snapshot(1, 1);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, ProcessEvent, RoutedEvent> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new DedupAndRoute.Operator(new DedupAndRoute(MEASURES, RETENTION)),
                        ProcessEvent::getCorrelationId,
                        org.apache.flink.api.common.typeinfo.Types.STRING)) {
            h.initializeState(older);
            h.open();
            // moved into the value: one entry for the id instead of one per key
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.processElement(new StreamRecord<>(event("P1", "project_assigned", t0 + 10), t0 + 10));
            h.processElement(new StreamRecord<>(event("P1", "project_created", t0 + 20), t0 + 20));
            assertThat(counter(h, PipelineCounters.DUPLICATE)).isEqualTo(1);
            assertThat(h.extractOutputValues())
                    .extracting(r -> r.event.getEventType())
                    .containsExactly("project_created");
            // the older timer (earliest expiry) still releases everything after the retention
            h.processWatermark(t0 + RETENTION + 20);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    /** What the operator kept before {@link DedupAndRoute#COMPACT}: keys in a map state, one timer per id. */
    static final class OlderLayout
            extends org.apache.flink.streaming.api.functions.KeyedProcessFunction<String, ProcessEvent, RoutedEvent> {
        private static final long serialVersionUID = 1L;
        private transient org.apache.flink.api.common.state.MapState<Long, Long> seen;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext c) {
            seen = getRuntimeContext()
                    .getMapState(new org.apache.flink.api.common.state.MapStateDescriptor<>(
                            DedupAndRoute.SPILLED_STATE,
                            org.apache.flink.api.common.typeinfo.Types.LONG,
                            org.apache.flink.api.common.typeinfo.Types.LONG));
        }

        @Override
        public void processElement(ProcessEvent e, Context ctx, org.apache.flink.util.Collector<RoutedEvent> out)
                throws Exception {
            long expiry = e.getTimeMs() + RETENTION;
            if (seen.isEmpty()) {
                ctx.timerService().registerEventTimeTimer(expiry);
            }
            seen.put(e.getIdentity() != 0 ? e.getIdentity() : e.identityHash(), expiry);
        }
    }

    private static Map<String, Object> payload(String k, Object v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k, v);
        return m;
    }
}
