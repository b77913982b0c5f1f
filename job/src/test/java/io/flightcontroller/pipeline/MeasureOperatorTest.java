package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.alerts;
import static io.flightcontroller.pipeline.HarnessSupport.counter;
import static io.flightcontroller.pipeline.HarnessSupport.event;
import static io.flightcontroller.pipeline.HarnessSupport.measureHarness;
import static io.flightcontroller.pipeline.HarnessSupport.measurements;
import static io.flightcontroller.pipeline.HarnessSupport.measures;
import static io.flightcontroller.pipeline.HarnessSupport.route;
import static io.flightcontroller.pipeline.HarnessSupport.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasuresConfig;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The measuring operator ({@link MeasureOperator} over {@link MeasureFunction}) driven by hand: events and watermarks
 * pushed one by one, outputs and keyed state asserted exactly. Event time only: nothing here depends on the clock.
 */
class MeasureOperatorTest {

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();

    /** requested -> assigned with a 1 h timeout: the "absence" measure of issue 3. */
    private static final MeasuresConfig ASSIGN_WITHIN_1H = measures("measures:\n"
            + "  - name: project_assignment\n"
            + "    start: project_requested\n"
            + "    end: project_assigned\n"
            + "    timeout: PT1H\n");

    @Test
    void timeoutForAKeyThatNeverSeesAnotherEventFiresExactlyOnceWhenOtherKeysMoveTheWatermarkPastTheDeadline()
            throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, RoutedEvent, Measurement> h =
                measureHarness(ASSIGN_WITHIN_1H, DAY)) {
            long t0 = t("2024-03-01T10:00:00Z");
            route(h, ASSIGN_WITHIN_1H, event("K", "project_requested", t0));
            // only other keys produce traffic from now on; each batch is followed by the watermark it implies
            for (int i = 1; i <= 12; i++) {
                long ts = t0 + i * 10 * 60_000L; // every 10 minutes, up to t0 + 2 h
                route(h, ASSIGN_WITHIN_1H, event("other-" + i, "project_requested", ts));
                route(h, ASSIGN_WITHIN_1H, event("other-" + i, "project_assigned", ts + 1000));
                h.processWatermark(ts - 1);
                List<Alert> forK = alertsFor(h, "K");
                if (ts - 1 < t0 + HOUR) {
                    assertThat(forK)
                            .as("no timeout before the watermark reaches t0 + 1h (watermark %s)", ts - 1)
                            .isEmpty();
                } else {
                    assertThat(forK)
                            .as("exactly one timeout once the watermark passed t0 + 1h")
                            .hasSize(1);
                }
            }
            h.processWatermark(t0 + 30 * DAY);
            List<Alert> forK = alertsFor(h, "K");
            assertThat(forK).hasSize(1);
            Alert a = forK.get(0);
            assertThat(a.getKind()).isEqualTo(Alert.Kind.TIMEOUT);
            assertThat(a.getStartMs()).isEqualTo(t0);
            assertThat(a.getDeadlineMs()).isEqualTo(t0 + HOUR);
            assertThat(a.getCorrelationId()).isEqualTo("K");
            assertThat(measurements(h)).noneMatch(m -> m.getCaseKey().equals("K"));
            assertThat(counter(h, PipelineCounters.TIMED_OUT)).isEqualTo(1);
        }
    }

    @Test
    void absenceBoundaryAnEndAtExactlyTheDeadlineIsInTimeOneMillisecondLaterIsATimeout() throws Exception {
        long t0 = t("2024-03-01T00:00:00Z");
        try (KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, RoutedEvent, Measurement> h =
                measureHarness(ASSIGN_WITHIN_1H, DAY)) {
            route(h, ASSIGN_WITHIN_1H, event("on-time", "project_requested", t0));
            route(h, ASSIGN_WITHIN_1H, event("late-by-1ms", "project_requested", t0));
            route(h, ASSIGN_WITHIN_1H, event("on-time", "project_assigned", t0 + HOUR));
            route(h, ASSIGN_WITHIN_1H, event("late-by-1ms", "project_assigned", t0 + HOUR + 1));
            h.processWatermark(t0 + HOUR); // the watermark reaches t0 + T exactly
            assertThat(alertsFor(h, "on-time")).isEmpty();
            assertThat(alertsFor(h, "late-by-1ms")).extracting(Alert::getKind).containsExactly(Alert.Kind.TIMEOUT);
            h.processWatermark(t0 + 2 * HOUR);
            assertThat(alertsFor(h, "on-time")).isEmpty();
            assertThat(alertsFor(h, "late-by-1ms")).hasSize(1);

            Measurement onTime = only(h, "on-time");
            assertThat(onTime.valueAsLong()).isEqualTo(HOUR);
            assertThat(onTime.isAfterTimeout()).isFalse();
            // the end after the deadline still reports its true duration, flagged as a correction after the timeout
            Measurement after = only(h, "late-by-1ms");
            assertThat(after.valueAsLong()).isEqualTo(HOUR + 1);
            assertThat(after.isAfterTimeout()).isTrue();
        }
    }

    @Test
    void perHopLimitsOnlyTheAssignedToCreatedHopBreachesWhileEndToEndIsFine() throws Exception {
        MeasuresConfig hops = measures("measures:\n"
                + "  - name: requested_to_assigned\n"
                + "    start: project_requested\n"
                + "    end: project_assigned\n"
                + "    slo: {threshold: PT1H, objective: 0.95, window: P28D}\n"
                + "  - name: assigned_to_created\n"
                + "    start: project_assigned\n"
                + "    end: project_created\n"
                + "    slo: {threshold: PT4H, objective: 0.95, window: P28D}\n"
                + "  - name: requested_to_created\n"
                + "    start: project_requested\n"
                + "    end: project_created\n"
                + "    slo: {threshold: PT6H, objective: 0.95, window: P28D}\n");
        try (KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, RoutedEvent, Measurement> h =
                measureHarness(hops, DAY)) {
            route(h, hops, event("P1", "project_requested", t("2024-03-01T00:00:00Z")));
            route(h, hops, event("P1", "project_assigned", t("2024-03-01T00:50:00Z")));
            route(h, hops, event("P1", "project_created", t("2024-03-01T05:30:00Z")));
            h.processWatermark(t("2024-03-02T00:00:00Z"));

            List<Measurement> ms = measurements(h);
            assertThat(ms).hasSize(3);
            assertThat(byMeasure(ms, "requested_to_assigned").valueAsLong()).isEqualTo(50 * 60_000L);
            assertThat(byMeasure(ms, "requested_to_assigned").getGood()).isTrue();
            assertThat(byMeasure(ms, "assigned_to_created").valueAsLong()).isEqualTo(4 * HOUR + 40 * 60_000L);
            assertThat(byMeasure(ms, "assigned_to_created").getGood()).isFalse();
            assertThat(byMeasure(ms, "requested_to_created").valueAsLong()).isEqualTo(5 * HOUR + 30 * 60_000L);
            assertThat(byMeasure(ms, "requested_to_created").getGood()).isTrue();

            List<Alert> as = alerts(h);
            assertThat(as).hasSize(1);
            assertThat(as.get(0).getKind()).isEqualTo(Alert.Kind.BREACH);
            assertThat(as.get(0).getMeasure()).isEqualTo("assigned_to_created");
            assertThat(as.get(0).getDeadlineMs()).isEqualTo(t("2024-03-01T04:50:00Z"));
            assertThat(counter(h, PipelineCounters.BREACHED)).isEqualTo(1);
        }
    }

    @Test
    void aLateEndForATimedOutCaseYieldsACorrectionWithTheTrueDuration() throws Exception {
        long t0 = t("2024-03-01T00:00:00Z");
        try (KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, RoutedEvent, Measurement> h =
                measureHarness(ASSIGN_WITHIN_1H, DAY)) {
            route(h, ASSIGN_WITHIN_1H, event("K", "project_requested", t0));
            h.processWatermark(t0 + 3 * HOUR);
            assertThat(alertsFor(h, "K")).extracting(Alert::getKind).containsExactly(Alert.Kind.TIMEOUT);
            assertThat(measurements(h)).isEmpty();

            // the end happened at t0 + 90 min but arrives behind the watermark: ParseSplitter flags it late
            ProcessEvent end = event("K", "project_assigned", t0 + 90 * 60_000L);
            end.setLateWatermark(t0 + 3 * HOUR);
            h.processElement(
                    new StreamRecord<>(new RoutedEvent("project_assignment", "K", end, true), end.getTimeMs()));

            Measurement m = only(h, "K");
            assertThat(m.isAfterTimeout()).isTrue();
            assertThat(m.isLate()).isTrue();
            assertThat(m.valueAsLong()).isEqualTo(90 * 60_000L);
            assertThat(m.getStartMs()).isEqualTo(t0);
            assertThat(alertsFor(h, "K")).as("no second timeout").hasSize(1);
            assertThat(counter(h, PipelineCounters.LATE_APPLIED)).isEqualTo(1);

            // a second late end does not correct twice
            ProcessEvent again = event("K", "project_assigned", t0 + 100 * 60_000L);
            again.setLateWatermark(t0 + 3 * HOUR);
            h.processElement(
                    new StreamRecord<>(new RoutedEvent("project_assignment", "K", again, true), again.getTimeMs()));
            assertThat(measurements(h)).hasSize(1);
        }
    }

    @Test
    void aRepeatedStartDoesNotRestartTheClock() throws Exception {
        long t0 = t("2024-03-01T00:00:00Z");
        try (KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, RoutedEvent, Measurement> h =
                measureHarness(ASSIGN_WITHIN_1H, DAY)) {
            route(h, ASSIGN_WITHIN_1H, event("K", "project_requested", t0));
            route(h, ASSIGN_WITHIN_1H, event("K", "project_requested", t0 + 20 * 60_000L));
            route(h, ASSIGN_WITHIN_1H, event("K", "project_assigned", t0 + 30 * 60_000L));
            // the repeated start after completion does not open a second case either
            route(h, ASSIGN_WITHIN_1H, event("K", "project_requested", t0 + 40 * 60_000L));
            h.processWatermark(t0 + 5 * HOUR);
            Measurement m = only(h, "K");
            assertThat(m.valueAsLong()).isEqualTo(30 * 60_000L);
            assertThat(alertsFor(h, "K")).isEmpty();
        }
    }

    @Test
    void endOfInputReportsCasesStillOpenWithTheirAgeAtTheLastWatermark() throws Exception {
        long t0 = t("2024-03-01T00:00:00Z");
        try (KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, RoutedEvent, Measurement> h =
                measureHarness(ASSIGN_WITHIN_1H, DAY)) {
            route(h, ASSIGN_WITHIN_1H, event("open", "project_requested", t0 + 30 * 60_000L));
            route(h, ASSIGN_WITHIN_1H, event("timed-out", "project_requested", t0));
            h.processWatermark(t0 + 75 * 60_000L);
            h.endInput();
            assertThat(alertsFor(h, "timed-out")).hasSize(1);
            assertThat(alertsFor(h, "open")).isEmpty();
            List<io.flightcontroller.domain.result.OpenCase> open = HarnessSupport.values(h, SideOutputs.OPEN_CASES);
            assertThat(open).hasSize(1);
            assertThat(open.get(0).getCaseKey()).isEqualTo("open");
            assertThat(open.get(0).getAgeMs()).isEqualTo(45 * 60_000L);
            assertThat(counter(h, PipelineCounters.OPEN_AT_END)).isEqualTo(1);
        }
    }

    private static List<Alert> alertsFor(
            KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, RoutedEvent, Measurement> h,
            String caseKey) {
        return alerts(h).stream().filter(a -> caseKey.equals(a.getCaseKey())).collect(Collectors.toList());
    }

    private static Measurement only(
            KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, RoutedEvent, Measurement> h,
            String caseKey) {
        List<Measurement> ms = measurements(h).stream()
                .filter(m -> caseKey.equals(m.getCaseKey()))
                .collect(Collectors.toList());
        assertThat(ms).as("measurements of %s", caseKey).hasSize(1);
        return ms.get(0);
    }

    private static Measurement byMeasure(List<Measurement> ms, String measure) {
        List<Measurement> found =
                ms.stream().filter(m -> measure.equals(m.getMeasure())).collect(Collectors.toList());
        assertThat(found).as("measurements of %s", measure).hasSize(1);
        return found.get(0);
    }
}
