package io.flightcontroller.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.flightcontroller.adapters.parse.MeasuresYaml;
import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.MeasureDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.cep.nfa.aftermatch.SkipPastLastStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.Quantifier;
import org.apache.flink.cep.pattern.WithinType;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.junit.jupiter.api.Test;

/** The one factory of a sequence's Flink CEP pattern: every step, every limit, the skip strategy. */
class SequencePatternTest {

    static MeasureDefinition sequence(String yaml) {
        return MeasuresYaml.parse("measures:\n" + yaml).getMeasures().get(0);
    }

    static final MeasureDefinition FLOW = sequence("  - name: flow\n    kind: sequence\n    steps:\n"
            + "      - event: a\n      - event: [b, b2]\n        within: PT1H\n      - event: c\n"
            + "      - event: d\n        within: PT2H\n    within: P1D\n");

    /** The stages from first to last. */
    static List<Pattern<RoutedEvent, ?>> stages(Pattern<RoutedEvent, ?> last) {
        List<Pattern<RoutedEvent, ?>> out = new ArrayList<>();
        for (Pattern<RoutedEvent, ?> p = last; p != null; p = p.getPrevious()) {
            out.add(p);
        }
        Collections.reverse(out);
        return out;
    }

    static boolean takes(Pattern<RoutedEvent, ?> stage, String type) throws Exception {
        @SuppressWarnings("unchecked")
        SimpleCondition<RoutedEvent> c = (SimpleCondition<RoutedEvent>) stage.getCondition();
        return c.filter(new RoutedEvent("sequence", "k", ProcessEvent.of(null, "k", type, 0, null), false));
    }

    @Test
    void oneStagePerStep_beginThenFollowedBy_eachTakingItsStepsTypes() throws Exception {
        List<Pattern<RoutedEvent, ?>> stages = stages(SequencePattern.of(FLOW));
        assertThat(stages).extracting(Pattern::getName).containsExactly("step1", "step2", "step3", "step4");
        for (Pattern<RoutedEvent, ?> s : stages.subList(1, 4)) {
            assertThat(s.getQuantifier().getConsumingStrategy())
                    .as(s.getName())
                    .isEqualTo(Quantifier.ConsumingStrategy.SKIP_TILL_NEXT); // followedBy: relaxed contiguity
        }
        assertThat(takes(stages.get(0), "a")).isTrue();
        assertThat(takes(stages.get(0), "b")).isFalse();
        assertThat(takes(stages.get(1), "b")).isTrue();
        assertThat(takes(stages.get(1), "b2")).isTrue();
        assertThat(takes(stages.get(2), "c")).isTrue();
        assertThat(takes(stages.get(3), "c")).isFalse();
    }

    @Test
    void aWithinIsNeverSilentlyIgnored_eachHopLimitIsItsStagesPreviousAndCurrentWindow_theWholeFirstToLast()
            throws Exception {
        List<Pattern<RoutedEvent, ?>> stages = stages(SequencePattern.of(FLOW));
        // flink-cep's windows are exclusive: one millisecond more than the inclusive limit
        assertThat(stages.get(1).getWindowSize(WithinType.PREVIOUS_AND_CURRENT))
                .contains(Duration.ofHours(1).plusMillis(1));
        assertThat(stages.get(2).getWindowSize(WithinType.PREVIOUS_AND_CURRENT)).isEmpty();
        assertThat(stages.get(3).getWindowSize(WithinType.PREVIOUS_AND_CURRENT))
                .contains(Duration.ofHours(2).plusMillis(1));
        assertThat(stages.get(3).getWindowSize(WithinType.FIRST_AND_LAST))
                .contains(Duration.ofDays(1).plusMillis(1));
        for (Pattern<RoutedEvent, ?> s : stages.subList(0, 3)) {
            assertThat(s.getWindowSize(WithinType.FIRST_AND_LAST))
                    .as(s.getName())
                    .isEmpty();
        }
        // and flink-cep compiles them into its NFA
        assertThat(NFACompiler.compileFactory(SequencePattern.of(FLOW), true)
                        .createNFA()
                        .getWindowTime())
                .isEqualTo(Duration.ofDays(1).plusMillis(1).toMillis());
    }

    @Test
    void theSkipStrategyIsExplicit_skipPastTheLastEvent() {
        assertThat(SequencePattern.of(FLOW).getAfterMatchSkipStrategy()).isInstanceOf(SkipPastLastStrategy.class);
    }

    @Test
    void aSequenceWithoutLimitsHasNoWindow() {
        MeasureDefinition open =
                sequence("  - name: f\n    kind: sequence\n    steps:\n      - event: a\n" + "      - event: b\n");
        for (Pattern<RoutedEvent, ?> s : stages(SequencePattern.of(open))) {
            assertThat(s.getWindowSize(WithinType.PREVIOUS_AND_CURRENT)).isEmpty();
            assertThat(s.getWindowSize(WithinType.FIRST_AND_LAST)).isEmpty();
        }
    }

    @Test
    void stepsReadsAMatchInStepOrder_asFarAsItReaches() {
        java.util.Map<String, List<RoutedEvent>> partial = new java.util.HashMap<>();
        partial.put(
                "step2",
                Collections.singletonList(
                        new RoutedEvent("sequence", "k", ProcessEvent.of(null, "k", "b", 2, null), false)));
        partial.put(
                "step1",
                Collections.singletonList(
                        new RoutedEvent("sequence", "k", ProcessEvent.of(null, "k", "a", 1, null), false)));
        assertThat(SequencePattern.steps(partial))
                .extracting(ProcessEvent::getEventType)
                .containsExactly("a", "b");
        assertThat(SequencePattern.stepOf("step12")).isEqualTo(12);
        assertThat(SequencePattern.stepOf("$endState$")).isEqualTo(-1);
    }
}
