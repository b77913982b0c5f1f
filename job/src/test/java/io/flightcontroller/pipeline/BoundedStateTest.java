package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.counter;
import static io.flightcontroller.pipeline.HarnessSupport.measureHarness;
import static io.flightcontroller.pipeline.HarnessSupport.measures;
import static io.flightcontroller.pipeline.HarnessSupport.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Measurement;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Keyed state of the measuring operator grows with open cases, not with cases ever seen: 1,000,000 distinct
 * correlation ids go through complete cases and the operator ends with only the cases still open.
 */
class BoundedStateTest {

    private static final MeasuresConfig MEASURES = measures("measures:\n"
            + "  - name: project_lead_time\n"
            + "    start: project_requested\n"
            + "    end: project_created\n"
            + "    timeout: P1D\n");

    private static final int CASES = 1_000_000;
    private static final int BATCH = 100_000;
    private static final int STILL_OPEN = 500;
    private static final long RETENTION_MS = 60_000L;
    private static final long LEAD_MS = 10_000L;

    @Test
    void aMillionCompletedCasesLeaveNoKeyedStateOnlyOpenCasesRemain() throws Exception {
        long base = t("2024-01-01T00:00:00Z");
        long completed = 0;
        try (KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, RoutedEvent, Measurement> h =
                measureHarness(MEASURES, RETENTION_MS)) {
            StreamRecord<RoutedEvent> reuse = new StreamRecord<>(null);
            for (int b = 0; b < CASES / BATCH; b++) {
                long batchStart = base + b * 3_600_000L;
                for (int i = 0; i < BATCH; i++) {
                    send(h, reuse, "c" + b + "-" + i, "project_requested", batchStart + (i % 1000));
                }
                h.processWatermark(batchStart + 1000);
                assertThat(h.numKeyedStateEntries())
                        .as("state while %s cases are open", BATCH)
                        .isEqualTo(BATCH);

                for (int i = 0; i < BATCH; i++) {
                    send(h, reuse, "c" + b + "-" + i, "project_created", batchStart + (i % 1000) + LEAD_MS);
                }
                h.processWatermark(batchStart + 1000 + LEAD_MS);
                completed += h.extractOutputValues().size();
                // nothing kept in the harness's output lists: the test measures the operator, not the collector
                h.getOutput().clear();
                h.getSideOutput(SideOutputs.OUTCOMES).clear();

                h.processWatermark(batchStart + 1000 + LEAD_MS + RETENTION_MS);
                assertThat(h.numKeyedStateEntries())
                        .as("state after batch %s completed and retention passed", b)
                        .isZero();
                assertThat(h.numEventTimeTimers()).isZero();
            }
            assertThat(completed).isEqualTo(CASES);
            assertThat(counter(h, PipelineCounters.MATCHED)).isEqualTo(CASES);
            assertThat(counter(h, PipelineCounters.TIMED_OUT)).isZero();

            // a few cases stay open: state holds exactly those, whatever went before
            long last = base + 20 * 3_600_000L;
            for (int i = 0; i < STILL_OPEN; i++) {
                send(h, reuse, "open-" + i, "project_requested", last + i);
            }
            h.processWatermark(last + STILL_OPEN + RETENTION_MS);
            assertThat(h.numKeyedStateEntries()).isEqualTo(STILL_OPEN);
            // one pending deadline (the timeout) per open case
            assertThat(h.numEventTimeTimers()).isEqualTo(STILL_OPEN);
        }
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, RoutedEvent, Measurement> h,
            StreamRecord<RoutedEvent> reuse,
            String id,
            String type,
            long time)
            throws Exception {
        // the event itself is buffered in state until the watermark passes it, so it must be a fresh object
        ProcessEvent e = ProcessEvent.of(null, id, type, time, null);
        h.processElement(
                reuse.replace(new RoutedEvent(MEASURES.getMeasures().get(0).getName(), id, e, false), time));
    }
}
