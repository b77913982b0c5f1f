package io.flightcontroller.domain.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flightcontroller.domain.Outcome;
import io.flightcontroller.domain.engine.CaseState;
import io.flightcontroller.domain.engine.MeasureMachine;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.result.Alert;
import io.flightcontroller.domain.result.Measurement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-kind rules decide what the definition, the engines and the sinks do; no kind is special-cased elsewhere. */
class KindRulesTest {

    @Test
    void everyKindHasItsOwnRulesAndOnlySequencesRunOnCep() {
        for (MeasureKind k : MeasureKind.values()) {
            assertThat(k.rules()).as("%s", k).isNotNull();
            assertThat(k.rules().engine())
                    .as("%s", k)
                    .isEqualTo(k == MeasureKind.SEQUENCE ? KindRules.Engine.CEP : KindRules.Engine.STATE_MACHINE);
        }
    }

    @Test
    void leadTimesAndSequencesWriteLeadRows_theOtherKindsTheirOwn() {
        assertThat(MeasureKind.SEQUENCE.rules().resultKind()).isEqualTo(MeasureKind.LEAD_TIME);
        assertThat(MeasureKind.LEAD_TIME.rules().resultsAreLeads()).isTrue();
        for (MeasureKind k : new MeasureKind[] {MeasureKind.CYCLE_COUNT, MeasureKind.COUNTER, MeasureKind.VALUE}) {
            assertThat(k.rules().resultKind()).isEqualTo(k);
            assertThat(k.rules().resultsAreLeads()).isFalse();
        }
    }

    @Test
    void aFieldAKindDoesNotTakeIsRefusedNamingTheKindsThatTakeIt() {
        assertThatThrownBy(() -> MeasureDefinition.builder("n")
                        .kind(MeasureKind.COUNTER)
                        .count(java.util.List.of("a"))
                        .timeout(Duration.ofHours(1))
                        .build())
                .isInstanceOf(InvalidMeasureException.class)
                .hasMessageContaining("timeout")
                .hasMessageContaining("applies to lead_time and cycle_count only");
    }

    @Test
    void theValueKindAppliesItsExpressionOnTheStateMachine() {
        MeasureDefinition d = MeasureDefinition.builder("v")
                .kind(MeasureKind.VALUE)
                .start("deployed")
                .expression("payload.size * 2")
                .build();
        MeasureMachine m = new MeasureMachine(d);
        CaseState s = new CaseState();
        java.util.List<Measurement> out = new java.util.ArrayList<>();
        ProcessEvent e = ProcessEvent.of(null, "c1", "deployed", 1000L, java.util.Map.of("size", 21));
        m.buffer(s, e);
        m.advanceTo("c1", s, 1000L, new MeasureMachine.Listener() {
            @Override
            public void measurement(Measurement x) {
                out.add(x);
            }

            @Override
            public void alert(Alert a) {}

            @Override
            public void outcome(Outcome o) {}

            @Override
            public void orphan(ProcessEvent x) {}

            @Override
            public void noValue(ProcessEvent x) {}
        });
        assertThat(out).singleElement().satisfies(x -> {
            assertThat(x.getKind()).isEqualTo(MeasureKind.VALUE);
            assertThat(x.getValue()).isEqualTo(42.0);
        });
        assertThat(m.disposableFrom(s, 0))
                .as("a value measure keeps its per-key history")
                .isEqualTo(Long.MAX_VALUE);
    }
}
