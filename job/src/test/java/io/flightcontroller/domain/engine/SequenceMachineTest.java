package io.flightcontroller.domain.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.BurnRateRule;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.MeasureKind;
import io.flightcontroller.domain.measure.SequenceStep;
import io.flightcontroller.domain.measure.Slo;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decisions of {@link SequenceMachine} on the steps a matcher hands it, in plain Java. */
class SequenceMachineTest {
    static final long MIN = 60_000L;
    static final long H = 3_600_000L;

    static final MeasureDefinition FLOW = MeasureDefinition.builder("flow")
            .kind(MeasureKind.SEQUENCE)
            .steps(
                    SequenceStep.of("a"),
                    new SequenceStep(Arrays.asList("b"), Duration.ofHours(1), "a_to_b"),
                    new SequenceStep(Arrays.asList("c"), Duration.ofHours(3), null))
            .within(Duration.ofHours(3))
            .slo(new Slo(Duration.ofHours(2), 0.9, Duration.ofDays(28), BurnRateRule.workbookDefaults(), 10))
            .build();

    static final class Recorder implements MeasureMachine.Listener {
        final List<Measurement> rows = new ArrayList<>();
        final List<Alert> alerts = new ArrayList<>();
        final List<Outcome> outcomes = new ArrayList<>();

        @Override
        public void measurement(Measurement m) {
            rows.add(m);
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
        public void orphan(ProcessEvent e) {}

        @Override
        public void noValue(ProcessEvent e) {}

        List<String> rowKeys() {
            List<String> out = new ArrayList<>();
            for (Measurement m : rows) {
                out.add(m.getMeasure() + "=" + m.valueAsLong() / MIN + "m" + (m.isAfterTimeout() ? "*" : ""));
            }
            return out;
        }
    }

    static long seq;

    static ProcessEvent e(String type, long timeMs) {
        ProcessEvent e = ProcessEvent.of(null, "k", type, timeMs, null);
        e.setSeq(seq++);
        return e;
    }

    @Test
    void aPartialMatchHandedOverAgainWritesEachHopOnce() {
        SequenceMachine m = new SequenceMachine(FLOW);
        SequenceCase c = new SequenceCase();
        Recorder out = new Recorder();
        ProcessEvent a = e("a", 0);
        ProcessEvent b = e("b", 10 * MIN);
        m.progress("k", c, Arrays.asList(a), out);
        m.progress("k", c, Arrays.asList(a, b), out);
        m.progress("k", c, Arrays.asList(a, b), out);
        m.progress("k", c, Arrays.asList(a, b, e("c", 40 * MIN)), out);
        assertThat(out.rowKeys()).containsExactly("a_to_b=10m", "flow#3=30m", "flow=40m");
        assertThat(c.phase).isEqualTo(CasePhase.DONE);
        assertThat(c.stepMs).as("a done case keeps only its marker").isNull();
    }

    @Test
    void theNextTimeoutIsTheEarlierOfTheHopsAndTheWholeSequencesLimit() {
        SequenceMachine m = new SequenceMachine(FLOW);
        SequenceCase c = new SequenceCase();
        Recorder out = new Recorder();
        m.progress("k", c, Arrays.asList(e("a", 0)), out);
        assertThat(m.nextTimeout(c)).isEqualTo(H); // b within 1 h of a
        m.progress("k", c, Arrays.asList(e("a", 0), e("b", 50 * MIN)), out);
        assertThat(m.nextTimeout(c)).isEqualTo(3 * H); // c within 3 h of b (3 h 50 min) or the whole 3 h: the whole
        m.advanceTo("k", c, 3 * H - 1, out);
        assertThat(out.alerts).extracting(Alert::getKind).containsExactly(Alert.Kind.BREACH); // at 2 h
        m.advanceTo("k", c, 3 * H, out);
        assertThat(out.alerts)
                .extracting(Alert::getKind, Alert::getMissingStep)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Alert.Kind.BREACH, null),
                        org.assertj.core.groups.Tuple.tuple(Alert.Kind.TIMEOUT, "c"));
        assertThat(c.phase).isEqualTo(CasePhase.TIMED_OUT);
    }

    @Test
    void aCompletionAfterTheThresholdRaisesTheBreachFirst_whateverTheWatermarkDid() {
        SequenceMachine m = new SequenceMachine(FLOW);
        SequenceCase c = new SequenceCase();
        Recorder out = new Recorder();
        m.progress("k", c, Arrays.asList(e("a", 0), e("b", 30 * MIN), e("c", 150 * MIN)), out);
        assertThat(out.alerts).singleElement().satisfies(a -> {
            assertThat(a.getKind()).isEqualTo(Alert.Kind.BREACH);
            assertThat(a.getDeadlineMs()).isEqualTo(2 * H);
        });
        assertThat(out.rows.get(2).getGood()).isFalse();
        assertThat(out.outcomes)
                .filteredOn(Outcome::isDecided)
                .singleElement()
                .satisfies(o -> assertThat(o.getTimeMs()).isEqualTo(2 * H));
    }

    @Test
    void correctionsAfterATimeoutApplyInEventTimeOrder_whateverOrderTheyArrivedIn() {
        SequenceMachine m = new SequenceMachine(FLOW);
        SequenceCase c = new SequenceCase();
        Recorder out = new Recorder();
        m.progress("k", c, Arrays.asList(e("a", 0)), out);
        m.advanceTo("k", c, H, out); // b missing
        assertThat(m.buffer(c, e("c", 3 * H))).isTrue();
        assertThat(m.buffer(c, e("b", 2 * H))).isTrue();
        assertThat(m.buffer(c, e("a", 2 * H))).as("a step already reached").isFalse();
        m.advanceTo("k", c, 4 * H, out);
        assertThat(out.rowKeys()).containsExactly("a_to_b=120m*", "flow#3=60m*", "flow=180m*");
        assertThat(m.buffer(c, e("b", 5 * H)))
                .as("a completed case keeps nothing")
                .isFalse();
        assertThat(m.disposableFrom(c, H)).isEqualTo(3 * H + H);
    }

    @Test
    void aMeasureOfAnotherKindIsNoSequence() {
        MeasureDefinition lead =
                MeasureDefinition.builder("m").start("a").end("b").build();
        assertThatThrownBy(() -> new SequenceMachine(lead)).hasMessageContaining("'m' is not a sequence");
    }
}
