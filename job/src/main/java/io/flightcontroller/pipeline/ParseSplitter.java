package io.flightcontroller.pipeline;

import io.flightcontroller.domain.DeadLetter;
import io.flightcontroller.domain.ParsedRecord;
import io.flightcontroller.domain.ProcessEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Splits parsed records: events go on, dead letters go to {@link FlightControllerTopology#DEAD_LETTERS} and are
 * counted per reason ({@code malformed.<reason>}).
 */
class ParseSplitter extends ProcessFunction<ParsedRecord, ProcessEvent> {
    private static final long serialVersionUID = 1L;

    private transient PipelineCounters counters;

    @Override
    public void open(OpenContext openContext) {
        counters = new PipelineCounters(getRuntimeContext());
    }

    @Override
    public void processElement(ParsedRecord r, Context ctx, Collector<ProcessEvent> out) {
        counters.inc(PipelineCounters.RECORDS_IN);
        if (!r.isEvent()) {
            DeadLetter d = r.getDeadLetter();
            counters.deadLetter(PipelineCounters.MALFORMED_PREFIX + d.getReason());
            ctx.output(FlightControllerTopology.DEAD_LETTERS, d);
            return;
        }
        counters.inc(PipelineCounters.EVENTS_PARSED);
        ProcessEvent e = r.getEvent();
        counters.eventTime(e.getTimeMs());
        out.collect(e);
    }
}
