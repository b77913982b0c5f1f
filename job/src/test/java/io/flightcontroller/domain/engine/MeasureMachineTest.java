package io.flightcontroller.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.BurnRateRule;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasureKind;
import io.flightcontroller.domain.measure.Slo;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The matching rules in plain Java: no Flink, milliseconds per test. */
class MeasureMachineTest {
    static final long H = 3_600_000L;
    static final long M = 60_000L;

    /** Collects what a machine emits. */
    static final class Out implements MeasureMachine.Listener {
        final List<Measurement> measurements = new ArrayList<>();
        final List<Alert> alerts = new ArrayList<>();
        final List<Outcome> outcomes = new ArrayList<>();
        int orphans;
        int noValue;
        int lateApplied;

        @Override
        public void measurement(Measurement m) {
            measurements.add(m);
        }

        @Override
        public void alert(Alert a) {
            alerts.add(a);
        }

        @Override
        public void outcome(Outcome o) {
            outcomes.add(o);
        }

        @Override
        public void orphan(ProcessEvent e) {
            orphans++;
        }

        @Override
        public void noValue(ProcessEvent e) {
            noValue++;
        }

        @Override
        public void lateApplied(ProcessEvent e) {
            lateApplied++;
        }
    }

    static ProcessEvent ev(String type, long t) {
        return ProcessEvent.of(null, "c1", type, t, null);
    }

    static ProcessEvent ev(String type, long t, Map<String, Object> payload) {
        return ProcessEvent.of(null, "c1", type, t, payload);
    }

    /** Feeds events (in the given arrival order) and then advances to the watermark. */
    static Out run(MeasureDefinition d, long watermark, ProcessEvent... events) {
        MeasureMachine m = new MeasureMachine(d);
        CaseState s = new CaseState();
        Out out = new Out();
        for (ProcessEvent e : events) {
            m.buffer(s, e);
        }
        m.advanceTo("c1", s, watermark, out);
        return out;
    }

    static MeasureDefinition leadTime(Duration timeout, Slo slo) {
        return MeasureDefinition.builder("project_lead_time")
                .start("project_requested")
                .end("project_created")
                .timeout(timeout)
                .slo(slo)
                .build();
    }

    static Slo slo(Duration threshold) {
        return new Slo(threshold, 0.95, Duration.ofDays(28), BurnRateRule.workbookDefaults(), 10);
    }

    @Test
    void leadIsFromFirstStartToFirstEndAfterIt_withUnrelatedEventsBetween() {
        Out out = run(
                leadTime(null, null),
                10 * H,
                ev("project_requested", 0),
                ev("project_commented", 10 * M),
                ev("project_requested", 20 * M),
                ev("project_created", 90 * M),
                ev("project_created", 120 * M));
        assertThat(out.measurements).hasSize(1);
        assertThat(out.measurements.get(0).getValue()).isEqualTo(90 * M);
        assertThat(out.measurements.get(0).getCycle()).isEqualTo(1);
    }

    @Test
    void orderIsEventTimeNotArrival_andTiesKeepArrivalOrder() {
        // end arrives before start (within the out-of-orderness bound): still matched
        Out out = run(leadTime(null, null), H, ev("project_created", 30 * M), ev("project_requested", 0));
        assertThat(out.measurements).extracting(Measurement::getValue).containsExactly((double) (30 * M));
        // same instant, end arriving after start: lead 0
        out = run(leadTime(null, null), H, ev("project_requested", 5), ev("project_created", 5));
        assertThat(out.measurements).extracting(Measurement::getValue).containsExactly(0.0);
        // same instant, end arriving before start: no end after the start
        out = run(leadTime(null, null), H, ev("project_created", 5), ev("project_requested", 5));
        assertThat(out.measurements).isEmpty();
        assertThat(out.orphans).isEqualTo(1);
    }

    @Test
    void timeoutFiresOnceWhenTheWatermarkReachesTheDeadline_endAtDeadlineIsInTime() {
        MeasureDefinition d = leadTime(Duration.ofHours(1), null);
        MeasureMachine m = new MeasureMachine(d);
        CaseState s = new CaseState();
        Out out = new Out();
        m.buffer(s, ev("project_requested", 0));
        m.advanceTo("c1", s, H - 1, out);
        assertThat(out.alerts).isEmpty();
        assertThat(m.nextDueTime(s)).isEqualTo(H);
        m.advanceTo("c1", s, H, out);
        m.advanceTo("c1", s, 5 * H, out);
        assertThat(out.alerts).extracting(Alert::getKind).containsExactly(Alert.Kind.TIMEOUT);
        assertThat(out.alerts.get(0).getDeadlineMs()).isEqualTo(H);

        Out inTime = run(d, 5 * H, ev("project_requested", 0), ev("project_created", H));
        assertThat(inTime.alerts).isEmpty();
        assertThat(inTime.measurements).hasSize(1);

        Out late = run(d, 5 * H, ev("project_requested", 0), ev("project_created", H + 1));
        assertThat(late.alerts).extracting(Alert::getKind).containsExactly(Alert.Kind.TIMEOUT);
        assertThat(late.measurements).hasSize(1);
        assertThat(late.measurements.get(0).isAfterTimeout()).isTrue();
        assertThat(late.measurements.get(0).getValue()).isEqualTo(H + 1);
    }

    @Test
    void breachIsRaisedAtTheThreshold_andTheLaterLeadIsMarkedBadWithOneVerdict() {
        MeasureDefinition d = leadTime(Duration.ofDays(7), slo(Duration.ofHours(1)));
        MeasureMachine m = new MeasureMachine(d);
        CaseState s = new CaseState();
        Out out = new Out();
        m.buffer(s, ev("project_requested", 0));
        m.advanceTo("c1", s, 2 * H, out);
        assertThat(out.alerts).extracting(Alert::getKind).containsExactly(Alert.Kind.BREACH);
        assertThat(out.measurements).isEmpty();
        m.buffer(s, ev("project_created", 3 * H));
        m.advanceTo("c1", s, 4 * H, out);
        assertThat(out.alerts).hasSize(1);
        assertThat(out.measurements).hasSize(1);
        assertThat(out.measurements.get(0).getGood()).isFalse();
        assertThat(out.outcomes).filteredOn(Outcome::isDecided).hasSize(1);
        assertThat(out.outcomes)
                .filteredOn(o -> !o.isDecided())
                .extracting(Outcome::getLeadMs)
                .containsExactly(3 * H);

        Out good = run(d, 4 * H, ev("project_requested", 0), ev("project_created", H));
        assertThat(good.alerts).isEmpty();
        assertThat(good.measurements.get(0).getGood()).isTrue();
        assertThat(good.outcomes).extracting(Outcome::getGood).containsExactly(Boolean.TRUE);
    }

    @Test
    void perHopLimits_onlyTheSlowHopBreaches() {
        MeasureDefinition hop1 = MeasureDefinition.builder("requested_to_assigned")
                .start("project_requested")
                .end("project_assigned")
                .slo(slo(Duration.ofHours(1)))
                .build();
        MeasureDefinition hop2 = MeasureDefinition.builder("assigned_to_created")
                .start("project_assigned")
                .end("project_created")
                .slo(slo(Duration.ofHours(4)))
                .build();
        MeasureDefinition e2e = MeasureDefinition.builder("requested_to_created")
                .start("project_requested")
                .end("project_created")
                .slo(slo(Duration.ofHours(6)))
                .build();
        ProcessEvent[] events = {
            ev("project_requested", 0), ev("project_assigned", 50 * M), ev("project_created", 5 * H + 30 * M)
        };
        assertThat(run(hop1, 10 * H, events).alerts).isEmpty();
        assertThat(run(e2e, 10 * H, events).alerts).isEmpty();
        Out out = run(hop2, 10 * H, events);
        assertThat(out.alerts).extracting(Alert::getKind).containsExactly(Alert.Kind.BREACH);
        assertThat(out.measurements.get(0).getGood()).isFalse();
        assertThat(out.measurements.get(0).getValue()).isEqualTo(4 * H + 40 * M);
    }

    /**
     * A late event waits in the buffer for the watermark it arrived behind and is judged against the case as it stood
     * there: after the on-time events and deadlines up to that watermark, before anything later, whatever order the
     * events were buffered in (a case keyed on payload fields gets them through several channels).
     */
    @Test
    void aBufferedLateEventIsJudgedAtTheWatermarkItArrivedBehindWhateverOrderTheEventsWereBufferedIn() {
        for (long behind : new long[] {50 * M, 70 * M}) {
            java.util.Set<String> results = new java.util.HashSet<>();
            for (int order = 0; order < 3; order++) {
                MeasureMachine m = new MeasureMachine(leadTime(Duration.ofHours(1), null));
                CaseState s = new CaseState();
                Out out = new Out();
                ProcessEvent start = ev("project_requested", 0);
                ProcessEvent lateEnd = ev("project_created", 30 * M);
                lateEnd.setLateWatermark(behind);
                ProcessEvent onTimeAfter = ev("project_created", 80 * M); // after the late event's watermark
                ProcessEvent[][] orders = {
                    {start, lateEnd, onTimeAfter}, {lateEnd, start, onTimeAfter}, {onTimeAfter, lateEnd, start}
                };
                for (ProcessEvent e : orders[order]) {
                    m.buffer(s, e);
                }
                assertThat(m.nextDueTime(s)).isZero();
                m.advanceTo("c1", s, 2 * H, out);
                assertThat(out.measurements)
                        .as("behind %d min, order %d", behind / M, order)
                        .hasSize(1);
                Measurement lead = out.measurements.get(0);
                assertThat(lead.getValue()).isEqualTo(30 * M);
                assertThat(lead.isLate()).isTrue();
                // behind 70 min the case had timed out (deadline 60 min) before the late end was known
                assertThat(lead.isAfterTimeout()).isEqualTo(behind > H);
                assertThat(out.lateApplied).isEqualTo(1);
                results.add(lead.isAfterTimeout() + "/" + out.alerts.size() + "/" + out.outcomes.size() + "/"
                        + out.orphans);
            }
            assertThat(results)
                    .as("one result whatever the order, behind %d min", behind / M)
                    .hasSize(1);
        }
    }

    @Test
    void lateEndCompletesATimedOutCaseAsACorrection_andLateStartsAreIgnored() {
        MeasureDefinition d = leadTime(Duration.ofHours(1), null);
        MeasureMachine m = new MeasureMachine(d);
        CaseState s = new CaseState();
        Out out = new Out();
        m.buffer(s, ev("project_requested", 0));
        m.advanceTo("c1", s, 2 * H, out);
        assertThat(out.alerts).hasSize(1);
        assertThat(m.applyLate("c1", s, ev("project_requested", 10), out)).isFalse();
        assertThat(m.applyLate("c1", s, ev("project_created", 90 * M), out)).isTrue();
        assertThat(out.measurements).hasSize(1);
        Measurement c = out.measurements.get(0);
        assertThat(c.isAfterTimeout()).isTrue();
        assertThat(c.isLate()).isTrue();
        assertThat(c.getValue()).isEqualTo(90 * M);
        assertThat(m.applyLate("c1", s, ev("project_created", 95 * M), out)).isFalse();
    }

    @Test
    void orphanEndIsCounted_andStateOfAFinishedCaseIsReleasedAfterRetention() {
        MeasureDefinition d = leadTime(null, null);
        Out out = run(d, H, ev("project_created", 0));
        assertThat(out.orphans).isEqualTo(1);
        MeasureMachine m = new MeasureMachine(d);
        CaseState s = new CaseState();
        m.buffer(s, ev("project_requested", 0));
        assertThat(m.disposableFrom(s, 10)).isEqualTo(Long.MAX_VALUE);
        m.buffer(s, ev("project_created", 100));
        m.advanceTo("c1", s, 200, new Out());
        assertThat(m.disposableFrom(s, 10)).isEqualTo(110);
        assertThat(m.openCase("c1", s, 200)).isNull();
    }

    /**
     * A timed-out case kept for {@code retention}, then an end later than the retention: fed in small watermark steps
     * (the processor clears the released state before the end arrives) or in one step with the end buffered before
     * the release (a periodic watermark, a reader catching up), it must give the same result.
     */
    @Test
    void anEventLaterThanTheRetentionFindsTheCaseReleasedWhateverTheWatermarksSteps() {
        long retention = 24 * H;
        MeasureDefinition d = leadTime(Duration.ofHours(2), null);
        long end = 2 * H + retention + 1;

        MeasureMachine fine = new MeasureMachine(d, retention);
        CaseState s = new CaseState();
        Out stepwise = new Out();
        fine.buffer(s, ev("project_requested", 0));
        fine.advanceTo("c1", s, 2 * H + retention, stepwise);
        assertThat(fine.disposableFrom(s, retention)).isLessThanOrEqualTo(2 * H + retention);
        s = new CaseState(); // what the processor does at the release: clears the state
        fine.buffer(s, ev("project_created", end));
        fine.advanceTo("c1", s, end, stepwise);

        MeasureMachine coarse = new MeasureMachine(d, retention);
        CaseState c = new CaseState();
        Out oneStep = new Out();
        coarse.buffer(c, ev("project_requested", 0));
        coarse.buffer(c, ev("project_created", end));
        coarse.advanceTo("c1", c, end, oneStep);

        assertThat(oneStep.orphans).isEqualTo(stepwise.orphans).isEqualTo(1);
        assertThat(oneStep.measurements).isEmpty();
        assertThat(stepwise.measurements).isEmpty();
        assertThat(oneStep.alerts).extracting(Alert::getKind).containsExactly(Alert.Kind.TIMEOUT);
        // one ms earlier the end is within the retention: a correction of the timed-out case, both ways
        CaseState within = new CaseState();
        Out kept = new Out();
        coarse.buffer(within, ev("project_requested", 0));
        coarse.buffer(within, ev("project_created", end - 1));
        coarse.advanceTo("c1", within, end, kept);
        assertThat(kept.measurements).extracting(Measurement::isAfterTimeout).containsExactly(true);
        assertThat(kept.orphans).isZero();
    }

    @Test
    void aLateEndArrivingBehindAWatermarkPastTheRetentionFindsTheCaseReleased() {
        long retention = 24 * H;
        MeasureMachine m = new MeasureMachine(leadTime(Duration.ofHours(2), null), retention);
        CaseState s = new CaseState();
        m.buffer(s, ev("project_requested", 0));
        m.advanceTo("c1", s, 3 * H, new Out());
        ProcessEvent lateEnd = ev("project_created", 3 * H);
        lateEnd.setLateWatermark(2 * H + retention);
        assertThat(m.applyLate("c1", s, lateEnd, new Out())).isFalse();

        CaseState kept = new CaseState();
        m.buffer(kept, ev("project_requested", 0));
        m.advanceTo("c1", kept, 3 * H, new Out());
        ProcessEvent lateWithin = ev("project_created", 3 * H);
        lateWithin.setLateWatermark(2 * H + retention - 1);
        assertThat(m.applyLate("c1", kept, lateWithin, new Out())).isTrue();
    }

    @Test
    void openCaseReportsItsAge() {
        MeasureMachine m = new MeasureMachine(leadTime(Duration.ofDays(7), null));
        CaseState s = new CaseState();
        m.buffer(s, ev("project_requested", 1000));
        m.advanceTo("c1", s, 5000, new Out());
        OpenCase o = m.openCase("c1", s, 5000);
        assertThat(o.getAgeMs()).isEqualTo(4000);
        assertThat(o.getStartMs()).isEqualTo(1000);
    }

    @Test
    void everyCycle_remediatedTwice_repeatedStartsDoNotRestartTheClock() {
        MeasureDefinition d = MeasureDefinition.builder("time_to_remediate")
                .start("resource_found_non_compliant")
                .end("resource_found_compliant")
                .everyCycle(true)
                .key(Arrays.asList("payload.container_id"))
                .build();
        Map<String, Object> p = new HashMap<>();
        p.put("container_id", "i-1");
        Out out = run(
                d,
                100 * H,
                ev("resource_found_compliant", 0, p),
                ev("resource_found_non_compliant", H, p),
                ev("resource_found_non_compliant", 2 * H, p),
                ev("resource_found_compliant", 4 * H, p),
                ev("resource_found_non_compliant", 10 * H, p),
                ev("resource_found_compliant", 11 * H, p));
        assertThat(out.measurements).extracting(Measurement::getValue).containsExactly((double) 3 * H, (double) H);
        assertThat(out.measurements).extracting(Measurement::getCycle).containsExactly(1, 2);
        assertThat(out.orphans).isEqualTo(1);
        assertThat(d.caseKey(ev("x", 0, p))).isEqualTo("i-1");
        assertThat(d.caseKey(ev("x", 0))).isNull();
    }

    @Test
    void restartOnMovesTheStart() {
        MeasureDefinition d = MeasureDefinition.builder("m")
                .start("a")
                .end("b")
                .restartOn(Arrays.asList("reopened"))
                .build();
        Out out = run(d, 10 * H, ev("a", 0), ev("reopened", 2 * H), ev("b", 3 * H));
        assertThat(out.measurements).extracting(Measurement::getValue).containsExactly((double) H);
    }

    @Test
    void cycleCountCountsActivationsPerCycleAndKeepsTheMaximum_counterKeepsARunningTotal() {
        MeasureDefinition cc = MeasureDefinition.builder("guardrail_activations")
                .kind(MeasureKind.CYCLE_COUNT)
                .start("guardrail_activated")
                .end("guardrail_passed")
                .everyCycle(true)
                .build();
        ProcessEvent[] events = {
            ev("guardrail_passed", 0),
            ev("guardrail_activated", 10),
            ev("guardrail_activated", 20),
            ev("guardrail_activated", 30),
            ev("guardrail_passed", 40),
            ev("guardrail_activated", 50),
            ev("guardrail_passed", 60)
        };
        Out out = run(cc, 1000, events);
        assertThat(out.measurements).extracting(Measurement::getValue).containsExactly(3.0, 1.0);
        assertThat(out.measurements).extracting(Measurement::getMaxValue).containsExactly(3.0, 3.0);

        MeasureDefinition total = MeasureDefinition.builder("guardrail_activations_total")
                .kind(MeasureKind.COUNTER)
                .count(Arrays.asList("guardrail_activated"))
                .build();
        assertThat(run(total, 1000, events).measurements)
                .extracting(Measurement::getValue)
                .containsExactly(1.0, 2.0, 3.0, 4.0);
    }

    @Test
    void valueExpressionFromOneEvent_listsAsArraysOrStrings_emptyHandled() {
        MeasureDefinition d = MeasureDefinition.builder("patch_compliance")
                .kind(MeasureKind.VALUE)
                .start("patch_run_summary")
                .dimensions(Arrays.asList("account_id"))
                .expression(
                        "100 * count(successful_instances) / (count(successful_instances) + count(failed_instances))")
                .build();
        Map<String, Object> arrays = new HashMap<>();
        arrays.put("successful_instances", Arrays.asList("i-1", "i-2", "i-3"));
        arrays.put("failed_instances", Arrays.asList("i-4"));
        arrays.put("account_id", "111");
        Map<String, Object> strings = new HashMap<>();
        strings.put("successful_instances", "i-1, i-2");
        strings.put("failed_instances", "");
        Map<String, Object> nothing = new HashMap<>();
        nothing.put("successful_instances", Arrays.asList());
        nothing.put("failed_instances", "");
        Out out = run(
                d,
                1000,
                ev("patch_run_summary", 1, arrays),
                ev("patch_run_summary", 2, strings),
                ev("patch_run_summary", 3, nothing));
        assertThat(out.measurements).extracting(Measurement::getValue).containsExactly(75.0, 100.0);
        assertThat(out.measurements.get(0).getDimensions()).containsEntry("account_id", "111");
        assertThat(out.noValue).isEqualTo(1);
    }
}
