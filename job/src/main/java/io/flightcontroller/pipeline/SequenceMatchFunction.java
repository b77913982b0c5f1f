package io.flightcontroller.pipeline;

import io.flightcontroller.domain.event.ProcessEvent;
import io.flightcontroller.domain.result.Measurement;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.util.Collector;

/**
 * The thin match handler of a sequence's CEP pattern: turns a complete match and a timed-out partial match into the
 * steps reached, in order, and hands them to {@link Matches} ({@link SequenceOperator}, which lets
 * {@link io.flightcontroller.domain.engine.SequenceMachine} decide leads, verdicts and alerts with the case's keyed state).
 * Nothing is emitted here.
 */
final class SequenceMatchFunction extends PatternProcessFunction<RoutedEvent, Measurement>
        implements TimedOutPartialMatchHandler<RoutedEvent> {
    private static final long serialVersionUID = 1L;

    /** Receives the matches of the key being processed. */
    interface Matches {
        /**
         * @param steps the events of every step, in order
         */
        void matched(List<ProcessEvent> steps);

        /**
         * @param steps the events of the steps reached, in order (the machine knows which limit passed)
         */
        void timedOut(List<ProcessEvent> steps);
    }

    private transient Matches matches;

    /** @param matches where matches go; set by the operator when it opens */
    void handTo(Matches matches) {
        this.matches = matches;
    }

    @Override
    public void processMatch(Map<String, List<RoutedEvent>> match, Context ctx, Collector<Measurement> out) {
        matches.matched(SequencePattern.steps(match));
    }

    @Override
    public void processTimedOutMatch(Map<String, List<RoutedEvent>> match, Context ctx) {
        matches.timedOut(SequencePattern.steps(match));
    }
}
