package io.flightcontroller.pipeline;

import io.flightcontroller.domain.DeadLetter;
import io.flightcontroller.domain.ParsedRecord;
import io.flightcontroller.domain.ProcessEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Splits parsed records: events go on, dead letters go to {@link FlightControllerTopology#DEAD_LETTERS} and are
 * counted per reason ({@code malformed.<reason>}). Takes each event's de-duplication identity and drops the payload of
 * events no payload-reading measure uses, so it is not serialized downstream.
 */
class ParseSplitter extends ProcessFunction<ParsedRecord, ProcessEvent> {
    private static final long serialVersionUID = 1L;

    private final java.util.Set<String> payloadTypes;
    private transient PipelineCounters counters;

    /** @param measures the measures: events of types no payload-reading measure uses travel on without payload */
    ParseSplitter(io.flightcontroller.domain.MeasuresConfig measures) {
        java.util.Set<String> types = new java.util.HashSet<>();
        for (io.flightcontroller.domain.MeasureDefinition d : measures.getMeasures()) {
            if (d.usesPayload()) {
                types.addAll(d.relevantTypes());
            }
        }
        this.payloadTypes = types;
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
            counters.deadLetter(PipelineCounters.MALFORMED_PREFIX + d.getReason());
            ctx.output(FlightControllerTopology.DEAD_LETTERS, d);
            return;
        }
        counters.inc(PipelineCounters.EVENTS_PARSED);
        ProcessEvent e = r.getEvent();
        counters.eventTime(e.getTimeMs());
        e.setIdentity(e.identityHash());
        if (!payloadTypes.contains(e.getEventType())) {
            e.setPayload(null); // no measure reads it: identity taken, do not ship it through the shuffle
        }
        out.collect(e);
    }
}
