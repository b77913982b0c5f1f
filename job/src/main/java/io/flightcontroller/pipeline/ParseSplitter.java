package io.flightcontroller.pipeline;

import io.flightcontroller.domain.DeadLetter;
import io.flightcontroller.domain.ParsedRecord;
import io.flightcontroller.domain.ProcessEvent;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Splits parsed records: events of a type some measure uses go on; dead letters go to
 * {@link FlightControllerTopology#DEAD_LETTERS}; events of types no measure uses are counted
 * ({@code unknown_type}) and dropped, as they carry nothing to measure.
 */
class ParseSplitter extends ProcessFunction<ParsedRecord, ProcessEvent> {
    private static final long serialVersionUID = 1L;

    private final Set<String> relevantTypes;
    private transient PipelineCounters counters;

    ParseSplitter(Set<String> relevantTypes) {
        this.relevantTypes = relevantTypes;
    }

    @Override
    public void open(OpenContext openContext) {
        counters = new PipelineCounters(getRuntimeContext());
    }

    @Override
    public void processElement(ParsedRecord r, Context ctx, Collector<ProcessEvent> out) {
        counters.inc(PipelineCounters.RECORDS_IN);
        if (!r.isEvent()) {
            DeadLetter d = r.getDeadLetter();
            counters.inc(PipelineCounters.MALFORMED_PREFIX + d.getReason());
            ctx.output(FlightControllerTopology.DEAD_LETTERS, d);
            return;
        }
        counters.inc(PipelineCounters.EVENTS_PARSED);
        ProcessEvent e = r.getEvent();
        counters.eventTime(e.getTimeMs());
        if (!relevantTypes.contains(e.getEventType())) {
            counters.inc(PipelineCounters.UNKNOWN_TYPE);
            return;
        }
        out.collect(e);
    }
}
