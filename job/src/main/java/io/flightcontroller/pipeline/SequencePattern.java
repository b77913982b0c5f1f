package io.flightcontroller.pipeline;

import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.measure.KindRules;
import io.flightcontroller.domain.measure.MeasureDefinition;
import io.flightcontroller.domain.measure.SequenceStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.WithinType;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * The one factory of the Flink CEP {@link Pattern} of a sequence measure, built from its definition:
 * {@code begin("step1").followedBy("step2")...followedBy("stepN")}, each stage taking an event of its step's types.
 *
 * <p>Shape:
 * <ul>
 *   <li>{@code followedBy}: relaxed contiguity, step k+1 is the first step-(k+1) event after step k; other events in
 *       between are ignored.</li>
 *   <li>A step's {@code within} is the stage's {@code within(limit + 1 ms, WithinType.PREVIOUS_AND_CURRENT)}: the
 *       limit of the hop from the previous step. The sequence's {@code within} is {@code within(limit + 1 ms)}
 *       ({@link WithinType#FIRST_AND_LAST}) on the last stage. flink-cep's windows are exclusive (a partial match is
 *       pruned when {@code time - previous >= window}, before the events at that time are taken); Flight Controller's
 *       limits are inclusive (a step at exactly the limit is in time), hence the extra millisecond, which in whole
 *       milliseconds of event time makes the two the same.</li>
 *   <li>{@link AfterMatchSkipStrategy#skipPastLastEvent()}: a completed match discards every partial match that
 *       started before its last event, so a repeated first step gives no second result.</li>
 * </ul>
 */
public final class SequencePattern {
    private SequencePattern() {}

    /** Name prefix of the stages: stage {@code step<k>} is step k, counted from 1. */
    public static final String STAGE = "step";

    /**
     * @param def a sequence measure
     * @return its pattern
     * @throws IllegalArgumentException when the measure is not a sequence
     */
    public static Pattern<RoutedEvent, RoutedEvent> of(MeasureDefinition def) {
        if (def.getKind().rules().engine() != KindRules.Engine.CEP) {
            throw new IllegalArgumentException("measure '" + def.getName() + "' is not a sequence");
        }
        List<SequenceStep> steps = def.getSteps();
        Pattern<RoutedEvent, RoutedEvent> p = Pattern.<RoutedEvent>begin(
                        stage(1), AfterMatchSkipStrategy.skipPastLastEvent())
                .where(isOneOf(steps.get(0)));
        for (int k = 2; k <= steps.size(); k++) {
            SequenceStep step = steps.get(k - 1);
            p = p.followedBy(stage(k)).where(isOneOf(step));
            if (step.getWithin() != null) {
                p = p.within(exclusive(step.getWithin()), WithinType.PREVIOUS_AND_CURRENT);
            }
        }
        if (def.getWithin() != null) {
            p = p.within(exclusive(def.getWithin()), WithinType.FIRST_AND_LAST);
        }
        return p;
    }

    /**
     * @param inclusiveLimit a limit a step may reach exactly
     * @return the flink-cep window that accepts exactly the same steps: one millisecond longer
     */
    public static Duration exclusive(Duration inclusiveLimit) {
        return inclusiveLimit.plusMillis(1);
    }

    /**
     * @param k a step number, from 1
     * @return its stage name
     */
    public static String stage(int k) {
        return STAGE + k;
    }

    /**
     * @param stateName an NFA state name ({@code step<k>})
     * @return k, or -1 for any other state
     */
    public static int stepOf(String stateName) {
        if (stateName == null || !stateName.startsWith(STAGE)) {
            return -1;
        }
        try {
            return Integer.parseInt(stateName.substring(STAGE.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * @param match a (partial) match of the pattern: stage name to its events
     * @return the events of steps 1, 2, ... in order, as far as the match reaches
     */
    public static List<ProcessEvent> steps(Map<String, List<RoutedEvent>> match) {
        List<ProcessEvent> out = new ArrayList<>(match.size());
        for (int k = 1; ; k++) {
            List<RoutedEvent> e = match.get(stage(k));
            if (e == null || e.isEmpty()) {
                return out;
            }
            out.add(e.get(0).event);
        }
    }

    private static SimpleCondition<RoutedEvent> isOneOf(SequenceStep step) {
        Set<String> types = new HashSet<>(step.getTypes());
        return SimpleCondition.of(r -> types.contains(r.event.getEventType()));
    }
}
