package io.flightcontroller.pipeline;

import static io.flightcontroller.pipeline.HarnessSupport.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.measure.MeasureKind;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import io.flightcontroller.domain.result.OpenCase;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rules of kind {@code sequence} on its operator ({@link SequenceOperator}: flink-cep's CepOperator with the
 * measure's pattern) in Flink's keyed operator test harness, events and watermarks pushed by hand. Each test is named
 * after the rule it checks (README, "Sequences").
 */
class SequenceOperatorTest {
    static final long T = t("2024-03-01T00:00:00Z");
    static final long MIN = 60_000L;
    static final long H = 3_600_000L;

    /** requested -> assigned within PT1H (hop named) -> created within PT4H of assigned; the whole within PT6H. */
    static final String PROJECT = "  - name: project_lead_time\n"
            + "    kind: sequence\n"
            + "    steps:\n"
            + "      - event: project_requested\n"
            + "      - event: project_assigned\n"
            + "        within: PT1H\n"
            + "        measure: project_assigned_lead_time\n"
            + "      - event: project_created\n"
            + "        within: PT4H\n"
            + "    within: PT6H\n";

    static final String ASSIGNED = "project_assigned_lead_time";
    static final String HOP3 = "project_lead_time#3";
    static final String WHOLE = "project_lead_time";

    static String row(String measure, String key, long leadMs) {
        return measure + "|" + key + "|" + leadMs + "|null|false|false";
    }

    @Test
    void eachHopWritesItsLeadRowWhenItCompletes_andTheWholeSequenceOneRowAtItsLastStep() throws Exception {
        try (SequenceHarness s = new SequenceHarness(PROJECT, 0)) {
            s.send("k", "project_requested", T);
            s.send("k", "project_assigned", T + 20 * MIN);
            s.watermark(T + 20 * MIN);
            assertThat(s.rowKeys()).containsExactly(row(ASSIGNED, "k", 20 * MIN));

            s.send("k", "project_created", T + 2 * H);
            s.watermark(T + 2 * H);
            assertThat(s.rowKeys())
                    .containsExactly(row(ASSIGNED, "k", 20 * MIN), row(HOP3, "k", 100 * MIN), row(WHOLE, "k", 2 * H));
            Measurement whole = s.rows().get(2);
            assertThat(whole.getKind()).isEqualTo(MeasureKind.LEAD_TIME);
            assertThat(whole.getStartMs()).isEqualTo(T);
            assertThat(whole.getEndMs()).isEqualTo(T + 2 * H);
            // every row is also an outcome for the aggregates, under its own measure name
            assertThat(s.outcomes())
                    .extracting(Outcome::getMeasure, Outcome::getLeadMs)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(ASSIGNED, 20 * MIN),
                            org.assertj.core.groups.Tuple.tuple(HOP3, 100 * MIN),
                            org.assertj.core.groups.Tuple.tuple(WHOLE, 2 * H));
            assertThat(s.alerts()).isEmpty();
        }
    }

    @Test
    void aHopWithoutAMeasureNameIsNamedAfterTheSequenceAndTheStepItEndsAt() throws Exception {
        try (SequenceHarness s = new SequenceHarness(
                "  - name: flow\n    kind: sequence\n    steps:\n"
                        + "      - event: a\n      - event: [b, b2]\n      - event: c\n",
                0)) {
            s.send("k", "a", T);
            s.send("k", "b2", T + MIN);
            s.send("k", "c", T + 3 * MIN);
            s.watermark(T + H);
            assertThat(s.rowKeys())
                    .containsExactly(row("flow#2", "k", MIN), row("flow#3", "k", 2 * MIN), row("flow", "k", 3 * MIN));
        }
    }

    @Test
    void hopsThatCompleteAreWrittenEvenIfTheSequenceNeverCompletes() throws Exception {
        try (SequenceHarness s = new SequenceHarness(PROJECT, 0)) {
            s.send("k", "project_requested", T);
            s.send("k", "project_assigned", T + 20 * MIN);
            s.watermark(T + 10 * H);
            assertThat(s.rowKeys()).containsExactly(row(ASSIGNED, "k", 20 * MIN));
            assertThat(s.alerts()).singleElement().satisfies(a -> {
                assertThat(a.getMissingStep()).isEqualTo("project_created");
                assertThat(a.getDeadlineMs()).isEqualTo(T + 20 * MIN + 4 * H);
            });
        }
    }

    @Test
    void theCaseStartsAtItsFirstStep1Event_aRepeatedFirstStepGivesNoSecondResult() throws Exception {
        try (SequenceHarness s = new SequenceHarness(PROJECT, 30L * 24 * H)) {
            s.send("k", "project_requested", T);
            s.send("k", "project_requested", T + 10 * MIN); // a repeat while the case is open
            s.send("k", "project_assigned", T + 30 * MIN);
            s.send("k", "project_created", T + H);
            s.watermark(T + H);
            s.send("k", "project_requested", T + 2 * H); // a repeat after the case completed
            s.send("k", "project_assigned", T + 2 * H + 10 * MIN);
            s.send("k", "project_created", T + 2 * H + 20 * MIN);
            s.watermark(T + 20 * H);
            assertThat(s.rowKeys())
                    .containsExactly(row(ASSIGNED, "k", 30 * MIN), row(HOP3, "k", 30 * MIN), row(WHOLE, "k", H));
            assertThat(s.alerts()).isEmpty();
        }
    }

    @Test
    void anInterveningEventDoesNotBreakTheMatch() throws Exception {
        try (SequenceHarness s = new SequenceHarness(PROJECT, 0)) {
            s.send("k", "project_requested", T);
            s.send("k", "project_created", T + 5 * MIN); // step 3 before step 2: not the created after assigned
            s.send("k", "project_commented", T + 6 * MIN); // a type of no step
            s.send("k", "project_assigned", T + 10 * MIN);
            s.send("k", "project_requested", T + 11 * MIN); // step 1 again
            s.send("k", "project_assigned", T + 12 * MIN); // step 2 again: the first one counts
            s.send("k", "project_created", T + 40 * MIN);
            s.watermark(T + 10 * H);
            assertThat(s.rowKeys())
                    .containsExactly(row(ASSIGNED, "k", 10 * MIN), row(HOP3, "k", 30 * MIN), row(WHOLE, "k", 40 * MIN));
        }
    }

    @Test
    void aTieArrivingAfterThePreviousStepCountsWithLeadZero_arrivingBeforeItDoesNot() throws Exception {
        try (SequenceHarness s = new SequenceHarness(PROJECT, 0)) {
            s.send("after", "project_requested", T);
            s.send("after", "project_assigned", T);
            s.send("before", "project_assigned", T);
            s.send("before", "project_requested", T);
            s.send("before", "project_assigned", T + 5 * MIN);
            s.watermark(T + 10 * MIN);
            assertThat(s.rowKeys())
                    .containsExactlyInAnyOrder(row(ASSIGNED, "after", 0), row(ASSIGNED, "before", 5 * MIN));
        }
    }

    @Test
    void requestedNeverAssignedGivesExactlyOneAlertAtTheDeadline_alsoWhenItsKeyGoesQuiet() throws Exception {
        try (SequenceHarness s = new SequenceHarness(PROJECT, 0)) {
            s.send("K", "project_requested", T);
            s.send("K", "project_requested", T + 10 * MIN); // a repeat: its own partial match times out later
            // K receives nothing more; other keys move the watermark
            s.send("other", "project_requested", T + 30 * MIN);
            s.watermark(T + H - 1);
            assertThat(s.alerts()).isEmpty();
            s.watermark(T + H);
            assertThat(s.alerts()).singleElement().satisfies(a -> {
                assertThat(a.getKind()).isEqualTo(Alert.Kind.TIMEOUT);
                assertThat(a.getMeasure()).isEqualTo(WHOLE);
                assertThat(a.getCaseKey()).isEqualTo("K");
                assertThat(a.getMissingStep()).isEqualTo("project_assigned");
                assertThat(a.getStartMs()).isEqualTo(T);
                assertThat(a.getDeadlineMs()).isEqualTo(T + H);
                assertThat(a.getObservedLeadMs()).isEqualTo(H);
                assertThat(a.getSubject()).contains("project_assigned").contains("PT1H");
            });
            s.watermark(T + 20 * H);
            assertThat(s.alerts()).filteredOn(a -> a.getCaseKey().equals("K")).hasSize(1);
            assertThat(s.counter(PipelineCounters.TIMED_OUT)).isEqualTo(2); // K and other, once each
        }
    }

    @Test
    void aStepExactlyAtTheLimitIsInTime_oneMillisecondLaterTimesOut() throws Exception {
        try (SequenceHarness s = new SequenceHarness(PROJECT, 0)) {
            s.send("at", "project_requested", T);
            s.send("at", "project_assigned", T + H);
            s.send("after", "project_requested", T);
            s.send("after", "project_assigned", T + H + 1);
            s.watermark(T + H);
            assertThat(s.rowKeys()).containsExactly(row(ASSIGNED, "at", H));
            assertThat(s.alerts())
                    .extracting(Alert::getCaseKey, Alert::getDeadlineMs)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("after", T + H));
        }
    }

    @Test
    void perHopLimitsAreJudgedPerHop_fromThePreviousStep() throws Exception {
        try (SequenceHarness s = new SequenceHarness(PROJECT, 30L * 24 * H)) {
            // assigned after 59 min, created 3 h 30 min later: each hop within its own limit (4 h 29 min after the
            // request, so a limit of PT4H counted from the first step would have failed it)
            s.send("ok", "project_requested", T);
            s.send("ok", "project_assigned", T + 59 * MIN);
            s.send("ok", "project_created", T + 59 * MIN + 210 * MIN);
            // created 4 h 1 min after assigned: hop 3 fails at assigned + 4 h, long before the whole's 6 h
            s.send("slow", "project_requested", T);
            s.send("slow", "project_assigned", T + 10 * MIN);
            s.send("slow", "project_created", T + 10 * MIN + 241 * MIN);
            s.watermark(T + 5 * H);
            assertThat(s.rowKeys())
                    .containsExactlyInAnyOrder(
                            row(ASSIGNED, "ok", 59 * MIN),
                            row(ASSIGNED, "slow", 10 * MIN),
                            row(HOP3, "ok", 210 * MIN),
                            row(WHOLE, "ok", 269 * MIN),
                            // the step after the limit: corrections with the true leads
                            HOP3 + "|slow|" + 241 * MIN + "|null|true|false",
                            WHOLE + "|slow|" + 251 * MIN + "|null|true|false");
            assertThat(s.alerts()).singleElement().satisfies(a -> {
                assertThat(a.getCaseKey()).isEqualTo("slow");
                assertThat(a.getMissingStep()).isEqualTo("project_created");
                assertThat(a.getDeadlineMs()).isEqualTo(T + 10 * MIN + 4 * H);
                assertThat(a.getSubject()).contains("of step 2");
            });
        }
    }

    @Test
    void theWholeSequenceWithinIsJudgedFromTheFirstStep() throws Exception {
        try (SequenceHarness s = new SequenceHarness(
                "  - name: flow\n    kind: sequence\n    steps:\n"
                        + "      - event: a\n      - event: b\n        within: PT1H\n      - event: c\n        within: PT2H\n"
                        + "    within: PT2H\n",
                30L * 24 * H)) {
            s.send("k", "a", T);
            s.send("k", "b", T + 50 * MIN);
            s.send("k", "c", T + 130 * MIN); // hop 3 = 80 min, in time; the whole = 130 min, not
            s.watermark(T + 3 * H);
            assertThat(s.alerts()).singleElement().satisfies(a -> {
                assertThat(a.getDeadlineMs()).isEqualTo(T + 2 * H);
                assertThat(a.getMissingStep()).isEqualTo("c");
                assertThat(a.getSubject()).contains("within PT2H of its first step");
            });
            assertThat(s.rowKeys())
                    .containsExactly(
                            row("flow#2", "k", 50 * MIN),
                            "flow#3|k|" + 80 * MIN + "|null|true|false",
                            "flow|k|" + 130 * MIN + "|null|true|false");
        }
    }

    @Test
    void aWithinIsNeverSilentlyIgnored_eachDeclaredLimitFiresOnAQuietKey() throws Exception {
        try (SequenceHarness s = new SequenceHarness(
                "  - name: flow\n    kind: sequence\n    steps:\n"
                        + "      - event: a\n      - event: b\n        within: PT1H\n      - event: c\n        within: PT3H\n"
                        + "      - event: d\n    within: PT4H\n",
                0)) {
            s.send("hop2", "a", T); // b not within 1 h of a
            s.send("hop3", "a", T); // c not within 3 h of b
            s.send("hop3", "b", T + 10 * MIN);
            s.send("whole", "a", T); // d not within 4 h of a
            s.send("whole", "b", T + 10 * MIN);
            s.send("whole", "c", T + 20 * MIN);
            for (long w = T + 20 * MIN; w <= T + 5 * H; w += 5 * MIN) {
                s.watermark(w); // no event of these keys any more: only the watermark moves
            }
            assertThat(s.alerts())
                    .extracting(Alert::getCaseKey, Alert::getMissingStep, Alert::getDeadlineMs)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("hop2", "b", T + H),
                            org.assertj.core.groups.Tuple.tuple("hop3", "c", T + 10 * MIN + 3 * H),
                            org.assertj.core.groups.Tuple.tuple("whole", "d", T + 4 * H));
        }
    }

    @Test
    void aStepAfterItsLimitWritesACorrectionRow_andSoDoTheStepsAfterIt_withoutASecondAlert() throws Exception {
        try (SequenceHarness s = new SequenceHarness(PROJECT, 30L * 24 * H)) {
            s.send("k", "project_requested", T);
            s.watermark(T + H);
            assertThat(s.alerts()).hasSize(1);
            s.send("k", "project_created", T + 80 * MIN); // not the step it is missing
            s.send("k", "project_assigned", T + 90 * MIN);
            s.send("k", "project_requested", T + 95 * MIN); // a repeat: nothing
            s.send("k", "project_created", T + 2 * H);
            s.watermark(T + 3 * H);
            assertThat(s.rowKeys())
                    .containsExactly(
                            ASSIGNED + "|k|" + 90 * MIN + "|null|true|false",
                            HOP3 + "|k|" + 30 * MIN + "|null|true|false",
                            WHOLE + "|k|" + 2 * H + "|null|true|false");
            s.watermark(T + 20 * H);
            assertThat(s.alerts()).hasSize(1);
        }
    }

    @Test
    void lateEventsNeverEnterCep_theStepACaseIsMissingArrivingLateIsACorrectionOnceTheCaseHasTimedOut()
            throws Exception {
        try (SequenceHarness s = new SequenceHarness(PROJECT, 30L * 24 * H)) {
            s.send("open", "project_requested", T);
            s.send("out", "project_requested", T);
            s.send("done", "project_requested", T);
            s.send("done", "project_assigned", T + 5 * MIN);
            s.send("done", "project_created", T + 6 * MIN);
            s.watermark(T + 30 * MIN);
            s.sendLate("open", "project_assigned", T + 20 * MIN, T + 30 * MIN); // CEP has passed it: not matched
            s.sendLate("done", "project_assigned", T + 7 * MIN, T + 30 * MIN); // a completed case: nothing
            s.watermark(T + 50 * MIN);
            assertThat(s.rowKeys()).filteredOn(r -> !r.contains("|done|")).isEmpty();
            s.watermark(T + H); // both time out: "open" now uses the step it received late
            s.sendLate("out", "project_assigned", T + 50 * MIN, T + H); // after its timeout: applied at once
            assertThat(s.rowKeys())
                    .filteredOn(r -> !r.contains("|done|"))
                    .containsExactly(
                            ASSIGNED + "|open|" + 20 * MIN + "|null|true|true",
                            ASSIGNED + "|out|" + 50 * MIN + "|null|true|true");
            assertThat(s.counter(PipelineCounters.LATE_APPLIED)).isEqualTo(2);
            assertThat(s.alerts()).extracting(Alert::getCaseKey).containsExactlyInAnyOrder("open", "out");
            assertThat(s.rowKeys()).filteredOn(r -> r.contains("|done|")).hasSize(3);
            assertThat(s.cepLate()).isEmpty();
        }
    }

    /**
     * The case's requested at T, its assigned late (behind T+30m) at T+20m, an on-time assigned at T+70m, after the
     * hop's deadline (T+1h). At parallelism 1 the operator is at T+30m when the late step arrives, which waits in
     * the open case and becomes the correction at the timeout. At higher parallelism another channel may hold the
     * operator at T+10m, and the next watermark jump to T+2h: the late step must still be judged at T+30m, before
     * the deadline and the on-time step after it, not after them.
     */
    @Test
    void aLateStepIsJudgedAtTheWatermarkItArrivedBehind_evenWhenTheOperatorsWatermarkJumpsPastIt() throws Exception {
        List<String> rows;
        List<String> outcomes;
        try (SequenceHarness s = new SequenceHarness(PROJECT, 30L * 24 * H)) {
            s.send("k", "project_requested", T);
            s.watermark(T + 30 * MIN);
            s.sendLate("k", "project_assigned", T + 20 * MIN, T + 30 * MIN);
            s.send("k", "project_assigned", T + 70 * MIN);
            s.watermark(T + 2 * H);
            rows = s.rowKeys();
            outcomes = s.outcomes().stream()
                    .map(o -> o.getMeasure() + "@" + o.getTimeMs())
                    .collect(Collectors.toList());
            assertThat(rows).containsExactly(ASSIGNED + "|k|" + 20 * MIN + "|null|true|true");
        }
        try (SequenceHarness s = new SequenceHarness(PROJECT, 30L * 24 * H)) {
            s.send("k", "project_requested", T);
            s.watermark(T + 10 * MIN);
            s.sendLate("k", "project_assigned", T + 20 * MIN, T + 30 * MIN); // held: the operator is behind T+30m
            s.send("k", "project_assigned", T + 70 * MIN);
            assertThat(s.rowKeys()).isEmpty();
            s.watermark(T + 2 * H);
            assertThat(s.rowKeys()).isEqualTo(rows);
            assertThat(s.outcomes().stream().map(o -> o.getMeasure() + "@" + o.getTimeMs()))
                    .containsExactlyElementsOf(outcomes);
            assertThat(s.alerts()).extracting(Alert::getDeadlineMs).containsExactly(T + H);
            assertThat(s.counter(PipelineCounters.LATE_APPLIED)).isEqualTo(1);
        }
    }

    /**
     * With a retention of 30 minutes, the case that timed out at T+1h is released at T+90m. The key's events after
     * that are its next case, not corrections of the old one, whether the watermark passed the release before they
     * arrived or jumps past it and them in one step.
     */
    @Test
    void eventsAfterAClosedCasesReleaseStartTheKeysNextCase_atAnyWatermarkGranularity() throws Exception {
        List<String> fine;
        try (SequenceHarness s = new SequenceHarness(PROJECT, 30 * MIN)) {
            s.send("k", "project_requested", T);
            s.watermark(T + 70 * MIN); // timed out at T+1h
            s.send("k", "project_assigned", T + 80 * MIN); // before the release at T+90m: the correction
            s.watermark(T + 100 * MIN); // released
            s.send("k", "project_requested", T + 2 * H);
            s.send("k", "project_assigned", T + 2 * H + 10 * MIN);
            s.send("k", "project_created", T + 2 * H + 20 * MIN);
            s.watermark(T + 3 * H);
            fine = s.rowKeys();
        }
        assertThat(fine)
                .containsExactly(
                        ASSIGNED + "|k|" + 80 * MIN + "|null|true|false",
                        row(ASSIGNED, "k", 10 * MIN),
                        row(HOP3, "k", 10 * MIN),
                        row(WHOLE, "k", 20 * MIN));
        try (SequenceHarness s = new SequenceHarness(PROJECT, 30 * MIN)) {
            s.send("k", "project_requested", T);
            s.watermark(T + 10 * MIN);
            s.send("k", "project_assigned", T + 80 * MIN);
            s.send("k", "project_requested", T + 2 * H);
            s.send("k", "project_assigned", T + 2 * H + 10 * MIN);
            s.send("k", "project_created", T + 2 * H + 20 * MIN);
            s.watermark(T + 3 * H); // timeout, correction, release and the next case in one step
            assertThat(s.rowKeys()).isEqualTo(fine);
            assertThat(s.alerts()).extracting(Alert::getDeadlineMs).containsExactly(T + H);
        }
    }

    /**
     * The case timed out at T+1h, and corrections completed it at T+85m: its close, and so its release (30 minutes
     * later, T+115m), moved. A first step at T+100m is the completed case's repeat, not a new case, also when it
     * arrived while the release was still T+90m.
     */
    @Test
    void aCorrectionThatCompletesTheCaseMovesItsRelease_atAnyWatermarkGranularity() throws Exception {
        List<String> fine;
        try (SequenceHarness s = new SequenceHarness(PROJECT, 30 * MIN)) {
            s.send("k", "project_requested", T);
            s.watermark(T + 61 * MIN);
            s.send("k", "project_assigned", T + 70 * MIN);
            s.send("k", "project_created", T + 85 * MIN);
            s.watermark(T + 86 * MIN); // completed by corrections at T+85m: released at T+115m
            s.send("k", "project_requested", T + 100 * MIN);
            s.send("k", "project_assigned", T + 105 * MIN);
            s.send("k", "project_created", T + 110 * MIN);
            s.watermark(T + 3 * H);
            fine = s.rowKeys();
        }
        assertThat(fine)
                .containsExactly(
                        ASSIGNED + "|k|" + 70 * MIN + "|null|true|false",
                        HOP3 + "|k|" + 15 * MIN + "|null|true|false",
                        WHOLE + "|k|" + 85 * MIN + "|null|true|false");
        try (SequenceHarness s = new SequenceHarness(PROJECT, 30 * MIN)) {
            s.send("k", "project_requested", T);
            s.watermark(T + 61 * MIN); // timed out at T+1h: released at T+90m unless a correction completes it
            s.send("k", "project_assigned", T + 70 * MIN);
            s.send("k", "project_created", T + 85 * MIN);
            s.send("k", "project_requested", T + 100 * MIN);
            s.send("k", "project_assigned", T + 105 * MIN);
            s.send("k", "project_created", T + 110 * MIN);
            s.watermark(T + 3 * H);
            assertThat(s.rowKeys()).isEqualTo(fine);
        }
    }

    /** Three cases of one key, each completed and released (10 minutes) before the next starts: all three count. */
    @Test
    void casesThatCompleteAndAreReleasedWithinOneWatermarkStepAllCount() throws Exception {
        List<String> fine;
        try (SequenceHarness s = new SequenceHarness(PROJECT, 10 * MIN)) {
            for (int k = 0; k < 3; k++) {
                long at = T + k * 30 * MIN;
                s.send("k", "project_requested", at);
                s.send("k", "project_assigned", at + 5 * MIN);
                s.send("k", "project_created", at + 10 * MIN);
                s.watermark(at + 25 * MIN);
            }
            s.watermark(T + 3 * H);
            fine = s.rowKeys();
        }
        assertThat(fine).hasSize(9);
        try (SequenceHarness s = new SequenceHarness(PROJECT, 10 * MIN)) {
            for (int k = 0; k < 3; k++) {
                long at = T + k * 30 * MIN;
                s.send("k", "project_requested", at);
                s.send("k", "project_assigned", at + 5 * MIN);
                s.send("k", "project_created", at + 10 * MIN);
            }
            s.watermark(T + 3 * H);
            assertThat(s.rowKeys()).isEqualTo(fine);
        }
    }

    @Test
    void lateEventsAreNeverDroppedSilently_whatCepFindsLateGoesToTheLateSideOutput() throws Exception {
        try (SequenceHarness s = new SequenceHarness(PROJECT, 0)) {
            s.watermark(T + H);
            s.send("k", "project_requested", T + 30 * MIN); // behind the operator's watermark, not flagged upstream
            assertThat(s.cepLate()).extracting(r -> r.event.getTimeMs()).containsExactly(T + 30 * MIN);
            assertThat(s.rows()).isEmpty();
        }
    }

    static final String WITH_SLO = "  - name: flow\n    kind: sequence\n    steps:\n"
            + "      - event: a\n      - event: b\n      - event: c\n        within: PT4H\n"
            + "    within: PT6H\n"
            + "    slo: {threshold: PT2H, objective: 0.9, window: P28D}\n";

    @Test
    void theSloJudgesTheWholeSequence_aBreachIsRaisedAtTheThresholdNotAtTheCompletion() throws Exception {
        try (SequenceHarness s = new SequenceHarness(WITH_SLO, 0)) {
            s.send("good", "a", T);
            s.send("good", "b", T + 30 * MIN);
            s.send("good", "c", T + 2 * H); // exactly at the threshold: good
            s.send("slow", "a", T);
            s.send("slow", "b", T + 30 * MIN);
            s.send("slow", "c", T + 3 * H);
            s.send("never", "a", T);
            s.watermark(T + 10 * H); // one jump past every deadline: the verdicts do not depend on the watermarks
            List<Measurement> whole =
                    s.rows().stream().filter(m -> m.getMeasure().equals("flow")).collect(Collectors.toList());
            assertThat(whole)
                    .extracting(Measurement::getCaseKey, Measurement::getGood)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("good", true),
                            org.assertj.core.groups.Tuple.tuple("slow", false));
            assertThat(s.rows())
                    .filteredOn(m -> !m.getMeasure().equals("flow"))
                    .allSatisfy(m -> assertThat(m.getGood()).isNull());
            assertThat(s.alerts())
                    .extracting(Alert::getCaseKey, Alert::getKind, Alert::getDeadlineMs)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("slow", Alert.Kind.BREACH, T + 2 * H),
                            org.assertj.core.groups.Tuple.tuple("never", Alert.Kind.BREACH, T + 2 * H),
                            org.assertj.core.groups.Tuple.tuple("never", Alert.Kind.TIMEOUT, T + 6 * H));
            // one decided verdict per case, bad at the threshold when it passed first
            List<Outcome> decided =
                    s.outcomes().stream().filter(Outcome::isDecided).collect(Collectors.toList());
            assertThat(decided)
                    .extracting(Outcome::getGood, Outcome::getTimeMs)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(true, T + 2 * H),
                            org.assertj.core.groups.Tuple.tuple(false, T + 2 * H),
                            org.assertj.core.groups.Tuple.tuple(false, T + 2 * H));
            assertThat(s.counter(PipelineCounters.BREACHED)).isEqualTo(2);
        }
    }

    @Test
    void stateOfFinishedAndTimedOutCasesGoesToZero_afterTheRetention() throws Exception {
        long retention = 2 * H;
        try (SequenceHarness s = new SequenceHarness(PROJECT, retention)) {
            for (int i = 0; i < 100; i++) {
                String k = "c" + i;
                s.send(k, "project_requested", T + i);
                s.send(k, "project_requested", T + i + MIN); // repeats start partial matches of their own
                if (i % 2 == 0) {
                    s.send(k, "project_assigned", T + i + 10 * MIN);
                    s.send(k, "project_created", T + i + 20 * MIN);
                }
            }
            s.watermark(T + 2 * H);
            assertThat(s.rows()).hasSize(150);
            assertThat(s.alerts()).hasSize(50);
            assertThat(s.h.numKeyedStateEntries())
                    .as("one small marker per closed case during the retention")
                    .isEqualTo(100);
            s.watermark(T + 4 * H);
            assertThat(s.h.numKeyedStateEntries()).isZero();
            assertThat(s.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void casesStillOpenAtTheEndOfABoundedInputAreReportedWithTheirAge() throws Exception {
        try (SequenceHarness s = new SequenceHarness(PROJECT, 0)) {
            s.send("open", "project_requested", T);
            s.send("open", "project_assigned", T + 10 * MIN);
            s.send("due", "project_requested", T + 30 * MIN); // its limit (T + 90 min) is the last event time
            s.send("last", "project_requested", T + 90 * MIN);
            s.watermark(T + 90 * MIN);
            s.h.endInput();
            assertThat(s.openCases())
                    .extracting(OpenCase::getCaseKey, OpenCase::getStartMs, OpenCase::getAgeMs)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("open", T, 90 * MIN),
                            org.assertj.core.groups.Tuple.tuple("last", T + 90 * MIN, 0L));
            assertThat(s.openCases()).allSatisfy(o -> assertThat(o.getMeasure()).isEqualTo(WHOLE));
            assertThat(s.alerts()).extracting(Alert::getCaseKey).containsExactly("due");
            assertThat(s.counter(PipelineCounters.OPEN_AT_END)).isEqualTo(2);
        }
    }
}
